import { githubRequest, joinUrl } from "./github-request.ts";
import { parseTime, readBody, unexpectedShape } from "./read-body.ts";
import type { GitHubEndpoints, GitHubResult, InstallationAccessToken, PermissionLevel } from "./types.ts";

const LEVELS = new Set<string>(["read", "write", "admin"]);

/**
 * Mints an installation token narrowed to the named repositories (by name, without owner) and
 * permissions (`POST /app/installations/{id}/access_tokens`, App JWT). Narrowing is the point: an agent
 * working on one repository gets a token that works for that one only. A 422 means a repository is not
 * in the installation or a permission was not granted to it; 403 with "suspended" means suspended.
 * The token in the result is a secret: callers encrypt it before storing it anywhere.
 */
export async function createInstallationToken(
  endpoints: GitHubEndpoints,
  appJwt: string,
  installationId: number,
  scope: { repositories: string[]; permissions: Record<string, PermissionLevel> },
): Promise<GitHubResult<{ installationToken: InstallationAccessToken }>> {
  const response = await githubRequest(endpoints, {
    method: "POST",
    url: joinUrl(endpoints.apiUrl, `/app/installations/${installationId}/access_tokens`),
    authorization: `Bearer ${appJwt}`,
    body: { repositories: scope.repositories, permissions: scope.permissions },
  });
  if (!response.ok) return response;
  const body = readBody(response.body);
  const token = body?.string("token");
  const expiresAt = parseTime(body?.string("expires_at"));
  if (token === undefined || token === "" || expiresAt === undefined) {
    return unexpectedShape("the installation token request", response.status);
  }
  const permissions: Record<string, PermissionLevel> = {};
  const granted = response.body as { permissions?: unknown };
  if (typeof granted.permissions === "object" && granted.permissions !== null) {
    for (const [name, level] of Object.entries(granted.permissions)) {
      if (typeof level === "string" && LEVELS.has(level)) permissions[name] = level as PermissionLevel;
    }
  }
  const repositories: { id: number; fullName: string; ownerId?: number }[] = [];
  for (const repo of body?.array("repositories") ?? []) {
    const id = repo.number("id");
    const fullName = repo.string("full_name");
    const ownerId = repo.object("owner")?.number("id");
    if (id !== undefined && fullName !== undefined)
      repositories.push({ id, fullName, ...(ownerId === undefined ? {} : { ownerId }) });
  }
  return { ok: true, installationToken: { token, expiresAt, permissions, repositories } };
}
