import { normalizeGitHubHost } from "./normalize-github-host.ts";

/** Why setup (or clone) refuses a remote: each would let the helper answer where it must not. */
export type RemoteRefusal =
  /** No such remote: an unscoped helper would answer every host. */
  | "missing"
  /** `git@host:...`, `ssh://`, a path, ...: not the https endpoint the helper is scoped to. */
  | "not_a_url"
  /** `http://`, `ssh://`, `file://`, ...: only https carries a token, never clear text. */
  | "not_https"
  /** https, but not the configured GitHub host (or its port). */
  | "other_host";

export type RemoteScope =
  | {
      ok: true;
      /** `https://<host>`: the URL prefix git config scopes the helper to (`credential.<scope>.helper`). */
      scope: string;
      /** The remote URL without any user name or password in it. */
      url: string;
      /** True when the URL carried credentials, which were dropped from `url`. */
      hadCredentials: boolean;
    }
  | { ok: false; reason: RemoteRefusal; message: string };

/**
 * The credential scope for a remote, or why there is none. Only `https://<the GitHub host>` gets one:
 * the helper is never installed for an ssh, http, missing or other-host remote, since an unscoped or
 * wrongly scoped helper hands the session's token to whatever host git asks about (a submodule, an
 * `.lfsconfig` `lfs.url`, a clear-text http remote). The message names the URL without credentials.
 */
export function resolveRemoteScope(url: string | undefined, githubHost: string): RemoteScope {
  const wanted = `https://${githubHost}`;
  if (url === undefined || url === "")
    return { ok: false, reason: "missing", message: `there is no remote; expected ${wanted}/<owner>/<repo>` };
  if (!URL.canParse(url) || !/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    return {
      ok: false,
      reason: "not_a_url",
      message: `the remote is not an https URL (ssh and local remotes are not supported); use ${wanted}/<owner>/<repo>`,
    };
  }
  const parsed = new URL(url);
  const hadCredentials = parsed.username !== "" || parsed.password !== "";
  parsed.username = "";
  parsed.password = "";
  const clean = parsed.toString();
  if (parsed.protocol !== "https:") {
    return {
      ok: false,
      reason: "not_https",
      message: `the remote ${clean} is not https; gitcred sends tokens only to ${wanted}`,
    };
  }
  if (normalizeGitHubHost(parsed.host) !== normalizeGitHubHost(githubHost)) {
    return {
      ok: false,
      reason: "other_host",
      message: `the remote ${clean} is not on ${wanted}; gitcred sends tokens only there`,
    };
  }
  return { ok: true, scope: wanted, url: clean, hadCredentials };
}
