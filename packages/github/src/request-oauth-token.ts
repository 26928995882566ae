import { githubRequest, joinUrl } from "./github-request.ts";
import { readBody, unexpectedShape } from "./read-body.ts";
import type {
  GitHubEndpoints,
  GitHubFailure,
  GitHubFailureReason,
  OAuthErrorReason,
  UserTokenSet,
} from "./types.ts";

const KNOWN_ERRORS = new Set<string>([
  "bad_refresh_token",
  "bad_verification_code",
  "incorrect_client_credentials",
  "redirect_uri_mismatch",
  "unverified_user_email",
  "unsupported_grant_type",
]);

/** An OAuth `error` that is not a token set: known codes get their own reason. */
export type OAuthTokenFailure = GitHubFailure<GitHubFailureReason | OAuthErrorReason> & {
  oauthError?: string;
  /** `interval` GitHub sent with the error (device flow `slow_down`). */
  intervalSeconds?: number;
};

export type OAuthTokenResult = ({ ok: true } & { tokens: UserTokenSet }) | OAuthTokenFailure;

/**
 * Reads the token endpoint's answer: an OAuth error (GitHub answers them with HTTP 200 and an `error`
 * field, so a 200 is not success until an `access_token` is seen) or a token set, with expiries from
 * `now`. Shared by the hand-written calls and `@octokit/oauth-methods`' refresh.
 */
export function readOAuthAnswer(body: unknown, status: number, now: number): OAuthTokenResult {
  const reader = readBody(body);
  const error = reader?.string("error");
  if (error !== undefined) {
    const code = error.slice(0, 64).replace(/[^a-z_]/g, "");
    const interval = reader?.number("interval");
    return {
      ok: false,
      reason: KNOWN_ERRORS.has(code) ? (code as OAuthErrorReason) : "oauth_error",
      message: `GitHub's token endpoint answered ${code || "an error"}`,
      status,
      oauthError: code,
      ...(interval === undefined ? {} : { intervalSeconds: interval }),
    };
  }
  const accessToken = reader?.string("access_token");
  if (accessToken === undefined || accessToken === "") return unexpectedShape("the token request", status);
  const expiresIn = reader?.number("expires_in");
  const refreshExpiresIn = reader?.number("refresh_token_expires_in");
  const refreshToken = reader?.string("refresh_token");
  return {
    ok: true,
    tokens: {
      accessToken,
      accessTokenExpiresAt: expiresIn === undefined ? null : new Date(now + expiresIn * 1000),
      refreshToken: refreshToken === undefined || refreshToken === "" ? null : refreshToken,
      refreshTokenExpiresAt: refreshExpiresIn === undefined ? null : new Date(now + refreshExpiresIn * 1000),
      scope: reader?.string("scope") ?? "",
      tokenType: reader?.string("token_type") ?? "bearer",
    },
  };
}

/**
 * POSTs to GitHub's token endpoint (`/login/oauth/access_token`) and parses either a token set or
 * an OAuth error. Hand-written for the two grants `@octokit/oauth-methods` cannot make: the web flow's
 * code with a PKCE `code_verifier`, and device polling driven by alarms (its own polls in a loop and
 * sleeps through `slow_down`). The form carries secrets (client secret, code, refresh token): it never
 * leaves this function except to GitHub, and failures never quote it.
 */
export async function requestOAuthToken(
  endpoints: GitHubEndpoints,
  form: Record<string, string>,
): Promise<OAuthTokenResult> {
  const response = await githubRequest(endpoints, {
    method: "POST",
    url: joinUrl(endpoints.webUrl, "/login/oauth/access_token"),
    body: new URLSearchParams(form),
  });
  if (!response.ok) return response;
  return readOAuthAnswer(response.body, response.status, (endpoints.now ?? Date.now)());
}
