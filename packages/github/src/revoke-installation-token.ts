import { githubRequest, joinUrl } from "./github-request.ts";
import type { GitHubEndpoints, GitHubResult } from "./types.ts";

/**
 * Revokes an installation token with itself (`DELETE /installation/token`, 204). Used for a token that
 * was minted but must never be handed out (GitHub resolved the repository name to another repository
 * than the one asked for): it would otherwise stay valid for an hour with nobody holding it on purpose.
 */
export async function revokeInstallationToken(
  endpoints: GitHubEndpoints,
  token: string,
): Promise<GitHubResult<{ revoked: true }>> {
  const response = await githubRequest(endpoints, {
    method: "DELETE",
    url: joinUrl(endpoints.apiUrl, "/installation/token"),
    authorization: `Bearer ${token}`,
  });
  if (!response.ok) return response;
  return { ok: true, revoked: true };
}
