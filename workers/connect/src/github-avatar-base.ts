/**
 * Where GitHub serves account avatars for this deployment's GitHub: github.com's are at
 * `https://avatars.githubusercontent.com/u/<id>?v=4`; GitHub Enterprise Server (and the simulator,
 * which mirrors it) serves them from its own host at `/avatars/u/<id>`. The page's CSP allows images
 * from this origin only, so only the avatar host of the configured GitHub can be shown.
 */
export function githubAvatarBase(githubWebUrl: string): string {
  return new URL(githubWebUrl).origin === "https://github.com"
    ? "https://avatars.githubusercontent.com"
    : `${githubWebUrl}/avatars`;
}
