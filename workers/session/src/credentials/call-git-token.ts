import type { GetTokenForRepoResult } from "@gitcred/client";
import type { SessionDeps, SessionRecord } from "../types.ts";

/** When git-token cannot be reached at all, ask again after this long. */
export const UNREACHABLE_RETRY_SECONDS = 5;

/**
 * One `getTokenForRepo` for the session's repository. `rejectedTokenSha256` names the person's token a
 * git server refused, so git-token checks it at GitHub and, if it is dead, marks the connection for every
 * caller instead of handing it out again. A git-token older than that field refuses it (its inputs are
 * strict): the call is repeated without it, and the session's own check remains the safety net.
 */
export async function callGitToken(
  deps: SessionDeps,
  record: SessionRecord,
  prefer: "user" | "app",
  rejectedTokenSha256?: string,
): Promise<GetTokenForRepoResult> {
  const { userId, owner, repo, access, sessionId } = record;
  // Records stored before tenants existed have none: the App path then answers `no_entitlement`.
  const tenantId = record.tenantId ?? undefined;
  try {
    // sessionId: git-token records the hand-out under the person (their settings page's activity).
    const input = {
      userId,
      sessionId,
      owner,
      repo,
      access,
      prefer,
      ...(tenantId === undefined ? {} : { tenantId }),
    };
    if (rejectedTokenSha256 === undefined) return await deps.gitToken.getTokenForRepo(input);
    const hinted = await deps.gitToken.getTokenForRepo({ ...input, rejectedTokenSha256 });
    if (hinted.ok || hinted.reason !== "invalid_request") return hinted;
    deps.log.warn("git-token does not take rejectedTokenSha256: asking without it");
    return await deps.gitToken.getTokenForRepo(input);
  } catch (error) {
    deps.log.error("git-token could not be called", { error });
    return {
      ok: false,
      reason: "internal_error",
      message: "git-token could not be reached",
      retryAfterSeconds: UNREACHABLE_RETRY_SECONDS,
    };
  }
}
