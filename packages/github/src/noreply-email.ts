import { isEnterpriseServer } from "./is-enterprise-server.ts";

/** The noreply domain of the last GITHUB_API_URL asked about (a worker has one). */
let lastDomain: { apiUrl: string; domain: string } | undefined;

/**
 * The noreply host for `apiUrl`, remembered for the last URL asked: every App token hand-out names its
 * bot's address, and parsing the URL twice per call was a fifth of a warm App `getTokenForRepo` (P2 in
 * docs/BENCHMARKS.md).
 */
function noreplyDomain(apiUrl: string): string {
  if (lastDomain?.apiUrl === apiUrl) return lastDomain.domain;
  const domain = isEnterpriseServer(apiUrl)
    ? `users.noreply.${new URL(apiUrl).hostname}`
    : "users.noreply.github.com";
  lastDomain = { apiUrl, domain };
  return domain;
}

/**
 * GitHub's noreply commit address for an account, `<id>+<login>@users.noreply.github.com` — and on
 * GitHub Enterprise Server `<id>+<login>@users.noreply.<hostname>`: a github.com address in a GHES commit
 * would attribute it to nobody there (or to a stranger on github.com). `apiUrl` is GITHUB_API_URL; GHES
 * is recognised by its `/api/v3` path (`isEnterpriseServer`). For an App's bot pass the bot user id and
 * `<slug>[bot]`.
 */
export function noreplyEmail(accountId: number, login: string, apiUrl: string): string {
  return `${accountId}+${login}@${noreplyDomain(apiUrl)}`;
}
