import type { RepoAccess } from "@gitcred/client";
import { type GitHubEndpoints, getRepoPermissions } from "@gitcred/github";
import type { TokenCheck, TokenVerifier } from "../types.ts";

/**
 * Asks GitHub about a person's token that a git server refused and git-token handed out again
 * (`GET /repos/{owner}/{repo}` with the token: one call, only on a refusal). 401 means the grant or
 * token is gone for good; 404 or missing push means the person lost the repository (never a reason to
 * lend the App's token); 5xx, network errors and rate limits are transient and decide nothing.
 */
export function createTokenVerifier(endpoints: GitHubEndpoints): TokenVerifier {
  return {
    async check(token: string, owner: string, repo: string, access: RepoAccess): Promise<TokenCheck> {
      const result = await getRepoPermissions(endpoints, token, owner, repo);
      if (result.ok) {
        const allowed = access === "write" ? result.repository.push : result.repository.pull;
        return allowed ? { kind: "valid" } : { kind: "no_access" };
      }
      switch (result.reason) {
        case "unauthorized":
          return { kind: "revoked" };
        case "not_found":
        case "forbidden":
          return { kind: "no_access" };
        case "rate_limited":
          return {
            kind: "transient",
            reason: "rate_limited",
            retryAfterSeconds: result.retryAfterSeconds ?? 60,
          };
        default:
          return {
            kind: "transient",
            reason: "github_unavailable",
            retryAfterSeconds: result.retryAfterSeconds ?? 10,
          };
      }
    },
    async defaultBranch(token: string, owner: string, repo: string): Promise<string | undefined> {
      // Same call as the check; any failure is "cannot say now" and the proxy's policy fails closed.
      const result = await getRepoPermissions(endpoints, token, owner, repo);
      return result.ok ? result.repository.defaultBranch : undefined;
    },
  };
}
