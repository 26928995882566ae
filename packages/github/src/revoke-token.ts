import { basicAuthorization } from "./basic-authorization.ts";
import { githubRequest, joinUrl } from "./github-request.ts";
import type { GitHubEndpoints, GitHubResult } from "./types.ts";

/**
 * Revokes one user access token (`DELETE /applications/{client_id}/token`, Basic auth) and leaves the
 * person's grant alone. Used for tokens gitcred holds but will not store (e.g. a connection refused
 * because the account belongs to another user, or a refresh whose row changed meanwhile).
 */
export async function revokeToken(
  endpoints: GitHubEndpoints,
  input: { clientId: string; clientSecret: string; accessToken: string },
): Promise<GitHubResult<object>> {
  const response = await githubRequest(endpoints, {
    method: "DELETE",
    url: joinUrl(endpoints.apiUrl, `/applications/${encodeURIComponent(input.clientId)}/token`),
    authorization: basicAuthorization(input.clientId, input.clientSecret),
    body: { access_token: input.accessToken },
  });
  return response.ok ? { ok: true } : response;
}
