import type { GitHubFailure } from "./types.ts";

/**
 * How long to wait out GitHub's failed login limit: GitHub says "temporarily" and sends no retry time;
 * five minutes keeps a caller from adding attempts that would extend it.
 */
export const LOCKOUT_RETRY_SECONDS = 300;

/** The authorize URL of `X-GitHub-SSO: required; url=<url>`, when it is an http(s) URL. */
function ssoAuthorizeUrl(headers: Headers): string | undefined {
  const match = /^\s*required\s*;\s*url=(\S+)\s*$/i.exec(headers.get("x-github-sso") ?? "");
  if (match?.[1] === undefined) return undefined;
  try {
    const url = new URL(match[1]);
    return url.protocol === "https:" || url.protocol === "http:" ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The 403s that are neither "no access" nor a rate limit, told apart before anything else reads a 403:
 * - SAML SSO (`X-GitHub-SSO: required; url=...`): the person can read the repository once they authorize
 *   the token for the organization; read as "no access" it would be cached and the person told they
 *   lack a repository they have. The URL is returned apart from the message (it is the person's only:
 *   never logged, never given to an agent).
 * - GitHub's failed login limit ("Maximum number of login attempts exceeded"): every token of the person
 *   is refused for a while, valid ones too. Read as "no access" or as a dead token it would mark a good
 *   connection or cache a wrong verdict; it is a wait (`rate_limited`), and `lockedOut` says why.
 */
export function classifyForbidden(headers: Headers, githubMessage: string): GitHubFailure | undefined {
  const authorizeUrl = ssoAuthorizeUrl(headers);
  if (authorizeUrl !== undefined) {
    return {
      ok: false,
      reason: "sso_required",
      message: "GitHub answered 403: the organization enforces SAML SSO for this token",
      status: 403,
      ssoAuthorizeUrl: authorizeUrl,
    };
  }
  if (/maximum number of login attempts exceeded/i.test(githubMessage)) {
    return {
      ok: false,
      reason: "rate_limited",
      message: "GitHub answered 403: too many failed logins, authentication refused for a while",
      status: 403,
      retryAfterSeconds: LOCKOUT_RETRY_SECONDS,
      lockedOut: true,
    };
  }
  return undefined;
}
