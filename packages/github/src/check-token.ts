import { checkToken as checkTokenMethod } from "@octokit/oauth-methods";
import { type OAuthApplicationInput, oauthApplicationCall } from "./oauth-application-call.ts";
import type { GitHubEndpoints, GitHubResult } from "./types.ts";

/**
 * Asks GitHub whether a user access token of the App is still valid (`POST /applications/{client_id}/token`
 * through `@octokit/oauth-methods`). `not_found` means revoked, expired or unknown. Used to tell a stale
 * "grant revoked" webhook (the person has since reconnected) from a live one before marking a connection.
 */
export function checkToken(
  endpoints: GitHubEndpoints,
  input: OAuthApplicationInput,
): Promise<GitHubResult<object>> {
  return oauthApplicationCall(endpoints, checkTokenMethod, input);
}
