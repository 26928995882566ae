import { appAuth } from "./app-auth.ts";
import { classifyFailure } from "./classify-failure.ts";
import { fromOctokitError } from "./from-octokit-error.ts";
import type { AppCredentials, GitHubEndpoints, GitHubResult } from "./types.ts";

/**
 * One GET authenticated as the App (`/app/...`, `/repos/{owner}/{repo}/installation`) through
 * `@octokit/auth-app`'s hook: a fresh JWT, and one retry with GitHub's clock when GitHub refuses ours.
 * A redirect is answered as the failure it is (`moved`), never followed; every failure is reduced to
 * status and message (`fromOctokitError`).
 */
export async function requestAsApp(
  endpoints: GitHubEndpoints,
  app: AppCredentials,
  route: string,
  parameters: Record<string, string | number>,
): Promise<GitHubResult<{ status: number; data: unknown }>> {
  try {
    const response = await appAuth(endpoints, app).request(route, parameters);
    if (response.status >= 300) {
      const headers = new Headers();
      for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined) headers.set(name, String(value));
      }
      return classifyFailure(response.status, headers, response.data, endpoints.now ?? Date.now);
    }
    return { ok: true, status: response.status, data: response.data };
  } catch (error) {
    return fromOctokitError(error, endpoints);
  }
}
