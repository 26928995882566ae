import { deleteAuthorization } from "@octokit/oauth-methods";
import { type OAuthApplicationInput, oauthApplicationCall } from "./oauth-application-call.ts";
import type { GitHubEndpoints, GitHubResult } from "./types.ts";

/**
 * Revokes the person's whole authorization of the App (`DELETE /applications/{client_id}/grant` through
 * `@octokit/oauth-methods`): every token of that person for the App dies, and GitHub sends the
 * `github_app_authorization` `revoked` webhook. Used on disconnect and data deletion. Needs a token of
 * the grant (an expired one may be refused: `not_found`/`validation_failed`).
 */
export function revokeGrant(
  endpoints: GitHubEndpoints,
  input: OAuthApplicationInput,
): Promise<GitHubResult<object>> {
  return oauthApplicationCall(endpoints, deleteAuthorization, input);
}
