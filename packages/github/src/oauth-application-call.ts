import { fromOctokitError } from "./from-octokit-error.ts";
import { octokitRequest } from "./octokit-request.ts";
import type { GitHubEndpoints, GitHubResult } from "./types.ts";

/** The client and the token of one call to GitHub's OAuth application endpoints (Basic auth). */
export interface OAuthApplicationInput {
  clientId: string;
  clientSecret: string;
  accessToken: string;
}

/** An `@octokit/oauth-methods` call on `/applications/{client_id}/…`. */
type OAuthMethod = (options: {
  clientType: "github-app";
  clientId: string;
  clientSecret: string;
  token: string;
  request: ReturnType<typeof octokitRequest>;
}) => Promise<unknown>;

/**
 * Runs one `@octokit/oauth-methods` call (check, delete token, delete grant) on the REST API and keeps
 * nothing of its answer, which echoes the token: success is `{ ok: true }`, a failure only GitHub's
 * status and message (its errors quote the request, the token in its body included).
 */
export async function oauthApplicationCall(
  endpoints: GitHubEndpoints,
  method: OAuthMethod,
  input: OAuthApplicationInput,
): Promise<GitHubResult<object>> {
  try {
    await method({
      clientType: "github-app",
      clientId: input.clientId,
      clientSecret: input.clientSecret,
      token: input.accessToken,
      request: octokitRequest(endpoints, "api"),
    });
    return { ok: true };
  } catch (error) {
    return fromOctokitError(error, endpoints);
  }
}
