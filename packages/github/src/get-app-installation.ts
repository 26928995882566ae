import { githubRequest, joinUrl } from "./github-request.ts";
import { readBody, unexpectedShape } from "./read-body.ts";
import { readInstallation } from "./read-installation.ts";
import type { GitHubEndpoints, GitHubResult, RepoInstallation } from "./types.ts";

/**
 * One installation of the App (`GET /app/installations/{installation_id}`, App JWT): confirms an id a
 * platform wants to claim belongs to this App before anyone is entitled to it. `not_found` means not
 * this App's (or deleted).
 */
export async function getAppInstallation(
  endpoints: GitHubEndpoints,
  appJwt: string,
  installationId: number,
): Promise<GitHubResult<{ installation: RepoInstallation }>> {
  const response = await githubRequest(endpoints, {
    method: "GET",
    url: joinUrl(endpoints.apiUrl, `/app/installations/${installationId}`),
    authorization: `Bearer ${appJwt}`,
  });
  if (!response.ok) return response;
  const installation = readInstallation(readBody(response.body));
  if (installation === undefined) return unexpectedShape("the installation lookup", response.status);
  return { ok: true, installation };
}
