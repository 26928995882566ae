import { readBody, unexpectedShape } from "./read-body.ts";
import { readInstallation } from "./read-installation.ts";
import { requestAsApp } from "./request-as-app.ts";
import type { AppCredentials, GitHubEndpoints, GitHubResult, RepoInstallation } from "./types.ts";

/**
 * One installation of the App (`GET /app/installations/{installation_id}`, App JWT through auth-app):
 * confirms an id a platform wants to claim belongs to this App before anyone is entitled to it.
 * `not_found` means not this App's (or deleted).
 */
export async function getAppInstallation(
  endpoints: GitHubEndpoints,
  app: AppCredentials,
  installationId: number,
): Promise<GitHubResult<{ installation: RepoInstallation }>> {
  const response = await requestAsApp(endpoints, app, "GET /app/installations/{installation_id}", {
    installation_id: installationId,
  });
  if (!response.ok) return response;
  const installation = readInstallation(readBody(response.data));
  if (installation === undefined) return unexpectedShape("the installation lookup", response.status);
  return { ok: true, installation };
}
