/**
 * Whether `apiUrl` (GITHUB_API_URL) is a GitHub Enterprise Server's REST API. GHES serves it at
 * `http(s)://HOSTNAME/api/v3` (GitHub's docs; not configurable), on the same host as its web pages, while
 * github.com splits `api.github.com` from `github.com`. Everything that differs between the two (the
 * noreply host, the App install page) is decided here, so no caller guesses from the host name.
 */
export function isEnterpriseServer(apiUrl: string): boolean {
  if (!URL.canParse(apiUrl)) return false;
  return new URL(apiUrl).pathname.replace(/\/+$/, "") === "/api/v3";
}
