import { githubRequest, joinUrl } from "./github-request.ts";
import { readBody, unexpectedShape } from "./read-body.ts";
import type { GitHubEndpoints, GitHubResult, RepoPermissions } from "./types.ts";

/**
 * What a person may do on a repository (`GET /repos/{owner}/{repo}` with their user token: the
 * `permissions` object). `not_found` is GitHub's answer both for a missing repository and for one the
 * person cannot see. For a GitHub App user token the answer is the intersection of the person's and the
 * installation's access, which is exactly what the token can do.
 */
export async function getRepoPermissions(
  endpoints: GitHubEndpoints,
  accessToken: string,
  owner: string,
  repo: string,
): Promise<GitHubResult<{ repository: RepoPermissions }>> {
  const response = await githubRequest(endpoints, {
    method: "GET",
    url: joinUrl(endpoints.apiUrl, `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`),
    authorization: `Bearer ${accessToken}`,
  });
  if (!response.ok) return response;
  const body = readBody(response.body);
  const id = body?.number("id");
  const fullName = body?.string("full_name");
  if (id === undefined || fullName === undefined)
    return unexpectedShape("the repository lookup", response.status);
  const permissions = body?.object("permissions");
  const admin = permissions?.boolean("admin") === true;
  const push = admin || permissions?.boolean("maintain") === true || permissions?.boolean("push") === true;
  // Without a permissions object GitHub is describing a repository it shows to anyone: read only.
  const pull = push || permissions === undefined || permissions.boolean("pull") === true;
  const defaultBranch = body?.string("default_branch");
  return {
    ok: true,
    repository: {
      repositoryId: id,
      fullName,
      private: body?.boolean("private") === true,
      pull,
      push,
      admin,
      ...(defaultBranch === undefined ? {} : { defaultBranch }),
    },
  };
}
