/** One attack of the OAuth attack set and whether gitcred refused it. */
export interface AttackResult {
  category: string;
  name: string;
  refused: boolean;
  detail: string;
}
