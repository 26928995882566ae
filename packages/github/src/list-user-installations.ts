import { githubRequest, joinUrl } from "./github-request.ts";
import { readBody, unexpectedShape } from "./read-body.ts";
import { readInstallation } from "./read-installation.ts";
import type { GitHubEndpoints, GitHubResult, RepoInstallation } from "./types.ts";

const PER_PAGE = 100;
/** 1,000 installations visible to one person is far past any real account; the walk stops there. */
const MAX_PAGES = 10;

/**
 * The App's installations the person can see (`GET /user/installations`, the person's own token),
 * every page. The install flow claims an installation only when it is in this list: a forged or guessed
 * `installation_id` on the Setup URL cannot claim someone else's installation.
 */
export async function listUserInstallations(
  endpoints: GitHubEndpoints,
  userToken: string,
): Promise<GitHubResult<{ installations: RepoInstallation[] }>> {
  const installations: RepoInstallation[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const response = await githubRequest(endpoints, {
      method: "GET",
      url: joinUrl(endpoints.apiUrl, `/user/installations?per_page=${PER_PAGE}&page=${page}`),
      authorization: `Bearer ${userToken}`,
    });
    if (!response.ok) return response;
    const items = readBody(response.body)?.array("installations");
    if (items === undefined) return unexpectedShape("the user installations listing", response.status);
    for (const item of items) {
      const installation = readInstallation(item);
      if (installation === undefined)
        return unexpectedShape("the user installations listing", response.status);
      installations.push(installation);
    }
    if (items.length < PER_PAGE) break;
  }
  return { ok: true, installations };
}
