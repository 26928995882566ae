import { basicAuthorization } from "./basic-authorization.ts";
import { githubRequest, joinUrl } from "./github-request.ts";
import type { GitHubEndpoints, GitHubResult } from "./types.ts";

/**
 * Revokes the person's whole authorization of the App (`DELETE /applications/{client_id}/grant`,
 * Basic auth with client id and secret): every token of that person for the App dies, and GitHub sends
 * the `github_app_authorization` `revoked` webhook. Used on disconnect and data deletion. Needs a
 * token of the grant (an expired one may be refused: `not_found`/`validation_failed`).
 */
export async function revokeGrant(
  endpoints: GitHubEndpoints,
  input: { clientId: string; clientSecret: string; accessToken: string },
): Promise<GitHubResult<object>> {
  const response = await githubRequest(endpoints, {
    method: "DELETE",
    url: joinUrl(endpoints.apiUrl, `/applications/${encodeURIComponent(input.clientId)}/grant`),
    authorization: basicAuthorization(input.clientId, input.clientSecret),
    body: { access_token: input.accessToken },
  });
  return response.ok ? { ok: true } : response;
}
