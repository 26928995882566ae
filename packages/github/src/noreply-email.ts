/**
 * GitHub's noreply commit address for an account, `<id>+<login>@users.noreply.github.com`. Commits
 * made under it are attributed to the account without exposing a private e-mail. For an App's bot pass
 * the bot user id and `<slug>[bot]`.
 */
export function noreplyEmail(accountId: number, login: string): string {
  return `${accountId}+${login}@users.noreply.github.com`;
}
