import { normalizeGitHubHost } from "./normalize-github-host.ts";
import type { CredentialAttributes } from "./parse-credential-request.ts";

/** Why the helper gives a request nothing: each is a way the token would leave for the wrong party. */
export type CredentialRequestRefusal =
  /** No `protocol` or no `host`: git (or git-lfs, or a script) did not say where the token would go. */
  | "missing_protocol"
  | "missing_host"
  /** `http` (or anything but `https`): the token would cross the network in clear text. */
  | "not_https"
  /** Another host, or the GitHub host on another port: e.g. a submodule or an `.lfsconfig` `lfs.url`. */
  | "other_host";

export type CredentialRequestVerdict = { ok: true } | { ok: false; reason: CredentialRequestRefusal };

/**
 * Whether a credential request is for the configured GitHub host over https. The helper asks this before
 * it fetches (`get`) or reports (`erase`) a token: a repository's `.lfsconfig`, a submodule URL or a plain
 * `git credential fill` must not obtain the session's token for an attacker's host, whatever git config
 * happened to route the request here. Host compare is case-insensitive; a port must match too.
 */
export function checkCredentialRequest(
  attributes: CredentialAttributes,
  githubHost: string,
): CredentialRequestVerdict {
  const protocol = attributes.protocol;
  const host = attributes.host;
  if (protocol === undefined || protocol === "") return { ok: false, reason: "missing_protocol" };
  if (host === undefined || host === "") return { ok: false, reason: "missing_host" };
  if (protocol.toLowerCase() !== "https") return { ok: false, reason: "not_https" };
  const wanted = normalizeGitHubHost(githubHost);
  const asked = normalizeGitHubHost(host);
  if (wanted === undefined || asked === undefined || asked !== wanted)
    return { ok: false, reason: "other_host" };
  return { ok: true };
}
