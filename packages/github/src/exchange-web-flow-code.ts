import { type OAuthTokenResult, requestOAuthToken } from "./request-oauth-token.ts";
import type { GitHubEndpoints } from "./types.ts";

/**
 * Trades a web-flow authorization code for the person's tokens, proving possession of the PKCE
 * verifier (`code_verifier`, S256). Built by hand because @octokit/oauth-methods sends no verifier.
 * `bad_verification_code` covers a wrong, expired or reused code and a verifier that does not match.
 */
export function exchangeWebFlowCode(
  endpoints: GitHubEndpoints,
  input: { clientId: string; clientSecret: string; code: string; codeVerifier: string; redirectUri: string },
): Promise<OAuthTokenResult> {
  return requestOAuthToken(endpoints, {
    client_id: input.clientId,
    client_secret: input.clientSecret,
    code: input.code,
    code_verifier: input.codeVerifier,
    redirect_uri: input.redirectUri,
  });
}
