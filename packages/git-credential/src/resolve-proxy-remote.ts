import { isLoopback } from "./is-loopback.ts";
import { normalizeGitHubHost } from "./normalize-github-host.ts";
import type { SessionConfig } from "./types.ts";

export type ProxyRemote =
  | {
      ok: true;
      /** `<session API>/git/<sessionId>/<owner>/<repo>.git`: the remote git uses from now on. */
      url: string;
      /** `<session API>/git/<sessionId>/`: the URL prefix the session secret is sent to, and only it. */
      scope: string;
      owner: string;
      repo: string;
    }
  | { ok: false; message: string };

const OWNER = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * The git proxy remote for a clone whose remote is `https://<the GitHub host>/<owner>/<repo>[.git]` (or
 * already this session's proxy URL). Refused: any other host, a path that is not `owner/repo`, and a
 * session API over http anywhere but loopback (the session secret would travel in clear text).
 */
export function resolveProxyRemote(url: string | undefined, config: SessionConfig): ProxyRemote {
  const api = new URL(config.apiUrl);
  if (api.protocol !== "https:" && !isLoopback(api)) {
    return { ok: false, message: `the session API ${api.origin} is not https; the proxy mode needs https` };
  }
  const scope = `${config.apiUrl}/git/${encodeURIComponent(config.sessionId)}/`;
  if (url === undefined || url === "" || !URL.canParse(url)) {
    return { ok: false, message: `expected https://${config.githubHost}/<owner>/<repo>` };
  }
  const parsed = new URL(url);
  let path: string;
  if (url.startsWith(scope)) {
    path = url.slice(scope.length);
  } else if (parsed.protocol === "https:" && normalizeGitHubHost(parsed.host) === config.githubHost) {
    path = parsed.pathname.slice(1);
  } else {
    return {
      ok: false,
      message: `the remote is not on https://${config.githubHost} nor this session's proxy`,
    };
  }
  const [owner = "", rawRepo = "", ...rest] = path.replace(/\/+$/, "").split("/");
  const repo = rawRepo.endsWith(".git") ? rawRepo.slice(0, -4) : rawRepo;
  if (rest.length > 0 || !OWNER.test(owner) || !REPO.test(repo)) {
    return { ok: false, message: "the remote does not name one repository (<owner>/<repo>)" };
  }
  return { ok: true, url: `${scope}${owner}/${repo}.git`, scope, owner, repo };
}
