import { basicAuthorization } from "./basic-authorization.ts";
import { githubRequest, joinUrl } from "./github-request.ts";
import type { GitHubEndpoints, GitHubResult } from "./types.ts";

/**
 * Asks GitHub whether a user access token of the App is still valid (`POST /applications/{client_id}/token`,
 * Basic auth). `not_found` means revoked, expired or unknown. Used to tell a stale "grant revoked" webhook
 * (the person has since reconnected) from a live one before marking a connection.
 */
export async function checkToken(
  endpoints: GitHubEndpoints,
  input: { clientId: string; clientSecret: string; accessToken: string },
): Promise<GitHubResult<object>> {
  const response = await githubRequest(endpoints, {
    method: "POST",
    url: joinUrl(endpoints.apiUrl, `/applications/${encodeURIComponent(input.clientId)}/token`),
    authorization: basicAuthorization(input.clientId, input.clientSecret),
    body: { access_token: input.accessToken },
  });
  // The answer echoes the token: nothing of the body is kept.
  return response.ok ? { ok: true } : response;
}
