import { type OAuthTokenResult, requestOAuthToken } from "./request-oauth-token.ts";
import type { GitHubEndpoints } from "./types.ts";

/**
 * Spends a refresh token for a new access + refresh token pair. GitHub refresh tokens are single
 * use: a successful call kills the old pair, a second call with the same token gets
 * `bad_refresh_token`. So callers must run at most one refresh per person at a time and persist the
 * result before anyone else reads the row (gitcred does it in the person's UserTokenRefresher).
 */
export function refreshUserToken(
  endpoints: GitHubEndpoints,
  input: { clientId: string; clientSecret: string; refreshToken: string },
): Promise<OAuthTokenResult> {
  return requestOAuthToken(endpoints, {
    client_id: input.clientId,
    client_secret: input.clientSecret,
    grant_type: "refresh_token",
    refresh_token: input.refreshToken,
  });
}
