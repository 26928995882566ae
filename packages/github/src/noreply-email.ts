import { isEnterpriseServer } from "./is-enterprise-server.ts";

/**
 * GitHub's noreply commit address for an account, `<id>+<login>@users.noreply.github.com` — and on
 * GitHub Enterprise Server `<id>+<login>@users.noreply.<hostname>`: a github.com address in a GHES commit
 * would attribute it to nobody there (or to a stranger on github.com). `apiUrl` is GITHUB_API_URL; GHES
 * is recognised by its `/api/v3` path (`isEnterpriseServer`). For an App's bot pass the bot user id and
 * `<slug>[bot]`.
 */
export function noreplyEmail(accountId: number, login: string, apiUrl: string): string {
  const domain = isEnterpriseServer(apiUrl)
    ? `users.noreply.${new URL(apiUrl).hostname}`
    : "users.noreply.github.com";
  return `${accountId}+${login}@${domain}`;
}
