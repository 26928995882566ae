import { readBody, unexpectedShape } from "./read-body.ts";
import { readInstallation } from "./read-installation.ts";
import { requestAsApp } from "./request-as-app.ts";
import type { AppCredentials, GitHubEndpoints, GitHubResult, RepoInstallation } from "./types.ts";

/**
 * Which installation of the App covers a repository (`GET /repos/{owner}/{repo}/installation`, App
 * JWT through auth-app). `not_found` means the App is not installed there (or the repository does not
 * exist: GitHub does not tell them apart). Used when the installations table, kept by webhooks, has no answer.
 */
export async function getRepoInstallation(
  endpoints: GitHubEndpoints,
  app: AppCredentials,
  owner: string,
  repo: string,
): Promise<GitHubResult<{ installation: RepoInstallation }>> {
  const response = await requestAsApp(endpoints, app, "GET /repos/{owner}/{repo}/installation", {
    owner,
    repo,
  });
  if (!response.ok) return response;
  const installation = readInstallation(readBody(response.data));
  if (installation === undefined)
    return unexpectedShape("the repository installation lookup", response.status);
  return { ok: true, installation };
}
