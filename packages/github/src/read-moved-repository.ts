import { githubRequest, joinUrl } from "./github-request.ts";
import { readBody, unexpectedShape } from "./read-body.ts";
import type { GitHubEndpoints, GitHubResult } from "./types.ts";

/**
 * The current `owner/repo` of a repository GitHub redirected (`GET /repositories/{id}`, with the same
 * token that was redirected). The URL is built from the id and our own API base, never taken from the
 * `Location` header: a token is never sent to a host a response named. Used only to tell the caller
 * where the repository went; nothing is handed out for it.
 */
export async function readMovedRepository(
  endpoints: GitHubEndpoints,
  token: string,
  repositoryId: number,
): Promise<GitHubResult<{ fullName: string }>> {
  const response = await githubRequest(endpoints, {
    method: "GET",
    url: joinUrl(endpoints.apiUrl, `/repositories/${repositoryId}`),
    authorization: `Bearer ${token}`,
  });
  if (!response.ok) return response;
  const fullName = readBody(response.body)?.string("full_name");
  if (fullName === undefined) return unexpectedShape("the moved repository lookup", response.status);
  return { ok: true, fullName };
}
