import { githubRequest, joinUrl } from "./github-request.ts";
import { readAccount } from "./read-account.ts";
import { readBody, unexpectedShape } from "./read-body.ts";
import type { GitHubAccount, GitHubEndpoints, GitHubResult } from "./types.ts";

/**
 * A public account by login (`GET /users/{login}`). gitcred needs it once per App: the bot user id of
 * `<slug>[bot]` (neither the App id nor an installation id) makes the bot's commit e-mail. `token`
 * (e.g. an installation token) is optional; without it the call counts against the unauthenticated limit.
 */
export async function getUser(
  endpoints: GitHubEndpoints,
  login: string,
  token?: string,
): Promise<GitHubResult<{ account: GitHubAccount }>> {
  const response = await githubRequest(endpoints, {
    method: "GET",
    url: joinUrl(endpoints.apiUrl, `/users/${encodeURIComponent(login)}`),
    ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
  });
  if (!response.ok) return response;
  const account = readAccount(readBody(response.body));
  if (account === undefined) return unexpectedShape("the user lookup", response.status);
  return { ok: true, account };
}
