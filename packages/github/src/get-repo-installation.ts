import { githubRequest, joinUrl } from "./github-request.ts";
import { readBody, unexpectedShape } from "./read-body.ts";
import { readInstallation } from "./read-installation.ts";
import type { GitHubEndpoints, GitHubResult, RepoInstallation } from "./types.ts";

/**
 * Which installation of the App covers a repository (`GET /repos/{owner}/{repo}/installation`, App
 * JWT). `not_found` means the App is not installed there (or the repository does not exist: GitHub
 * does not tell them apart). Used when the installations table, kept by webhooks, has no answer.
 */
export async function getRepoInstallation(
  endpoints: GitHubEndpoints,
  appJwt: string,
  owner: string,
  repo: string,
): Promise<GitHubResult<{ installation: RepoInstallation }>> {
  const path = `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/installation`;
  const response = await githubRequest(endpoints, {
    method: "GET",
    url: joinUrl(endpoints.apiUrl, path),
    authorization: `Bearer ${appJwt}`,
  });
  if (!response.ok) return response;
  const installation = readInstallation(readBody(response.body));
  if (installation === undefined)
    return unexpectedShape("the repository installation lookup", response.status);
  return { ok: true, installation };
}
