import { refreshToken } from "@octokit/oauth-methods";
import { fromOctokitError } from "./from-octokit-error.ts";
import { octokitRequest, type RequestHook } from "./octokit-request.ts";
import { type OAuthTokenResult, readOAuthAnswer } from "./request-oauth-token.ts";
import type { GitHubEndpoints } from "./types.ts";

/** The answer an oauth-methods error carries (it throws for an OAuth `error` answered with HTTP 200). */
function answerOf(error: unknown): { status: number; data: unknown } | undefined {
  const response = (error as { response?: { status?: unknown; data?: unknown } } | null)?.response;
  if (typeof response?.status !== "number") return undefined;
  const data = response.data;
  if (typeof data !== "object" || data === null || !("error" in data)) return undefined;
  return { status: response.status, data };
}

/**
 * Spends a refresh token for a new access + refresh token pair (`@octokit/oauth-methods`' refreshToken
 * on GitHub's web host). GitHub refresh tokens are single use: a successful call kills the old pair, a
 * second call with the same token gets `bad_refresh_token`. So callers must run at most one refresh per
 * person at a time and persist the result before anyone else reads the row (gitcred does it in the
 * person's UserTokenRefresher). oauth-methods' errors quote the form they sent (the refresh token and
 * the client secret): only GitHub's answer is read from them.
 */
export async function refreshUserToken(
  endpoints: GitHubEndpoints,
  input: { clientId: string; clientSecret: string; refreshToken: string },
): Promise<OAuthTokenResult> {
  const now = endpoints.now ?? Date.now;
  // GitHub's answer as it arrived: oauth-methods turns it into dates from GitHub's Date header and
  // throws a RangeError when one is missing, and a pair lost after the old refresh token was spent
  // would end the person's connection. So the answer is read from here, never from its result.
  let answered: { status: number; data: unknown } | undefined;
  const hook: RequestHook = async (send, options) => {
    const response = await send(options);
    answered = { status: response.status, data: response.data };
    return response;
  };
  const request = octokitRequest(endpoints, "web").defaults({ request: { hook } });
  try {
    await refreshToken({
      clientType: "github-app",
      clientId: input.clientId,
      clientSecret: input.clientSecret,
      refreshToken: input.refreshToken,
      request,
    });
  } catch (error) {
    const answer = answerOf(error) ?? (error instanceof RangeError ? answered : undefined);
    if (answer === undefined) return fromOctokitError(error, endpoints);
    return readOAuthAnswer(answer.data, answer.status, now());
  }
  // Expiries from our clock, as for every other grant.
  return answered === undefined
    ? readOAuthAnswer(null, 200, now())
    : readOAuthAnswer(answered.data, answered.status, now());
}
