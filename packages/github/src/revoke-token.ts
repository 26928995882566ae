import { deleteToken } from "@octokit/oauth-methods";
import { type OAuthApplicationInput, oauthApplicationCall } from "./oauth-application-call.ts";
import type { GitHubEndpoints, GitHubResult } from "./types.ts";

/**
 * Revokes one user access token (`DELETE /applications/{client_id}/token` through
 * `@octokit/oauth-methods`) and leaves the person's grant alone. Used for tokens gitcred holds but will
 * not store (e.g. a connection refused because the account belongs to another user, or a refresh whose
 * row changed meanwhile).
 */
export function revokeToken(
  endpoints: GitHubEndpoints,
  input: OAuthApplicationInput,
): Promise<GitHubResult<object>> {
  return oauthApplicationCall(endpoints, deleteToken, input);
}
