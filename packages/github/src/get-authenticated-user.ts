import { githubRequest, joinUrl } from "./github-request.ts";
import { readAccount } from "./read-account.ts";
import { readBody, unexpectedShape } from "./read-body.ts";
import type { GitHubAccount, GitHubEndpoints, GitHubResult } from "./types.ts";

/**
 * The person a user access token belongs to (`GET /user`). A connection is stored under the GitHub id
 * GitHub reports here, never one a caller claims. `unauthorized` means the token is not (or no longer) valid.
 */
export async function getAuthenticatedUser(
  endpoints: GitHubEndpoints,
  accessToken: string,
): Promise<GitHubResult<{ account: GitHubAccount }>> {
  const response = await githubRequest(endpoints, {
    method: "GET",
    url: joinUrl(endpoints.apiUrl, "/user"),
    authorization: `Bearer ${accessToken}`,
  });
  if (!response.ok) return response;
  const account = readAccount(readBody(response.body));
  if (account === undefined) return unexpectedShape("GET /user", response.status);
  return { ok: true, account };
}
