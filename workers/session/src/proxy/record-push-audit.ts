import type { GitTokenSessionAuditRpc, RecordGitPushInput } from "@gitcred/client";
import { errorFields } from "@gitcred/utils";

/**
 * Sends one push record to git-token (`GitTokenSessionAudit.recordGitPush`), where it outlives the
 * session as the person's activity. Run under `waitUntil` after the grant, so the push never waits for
 * it; a refusal or an unreachable git-token is logged (reason and ids only: the record holds no token,
 * and neither does the line) and never fails the push: the session's own event log still has it.
 */
export async function recordPushAudit(
  binding: Pick<GitTokenSessionAuditRpc, "recordGitPush"> | undefined,
  input: RecordGitPushInput,
  log: { warn(message: string, fields?: Record<string, unknown>): void },
): Promise<void> {
  const where = { sessionId: input.sessionId, repository: `${input.owner}/${input.repo}` };
  if (binding === undefined) {
    log.warn("push not recorded: GIT_TOKEN_AUDIT is not bound", where);
    return;
  }
  try {
    const result = await binding.recordGitPush(input);
    if (!result.ok) log.warn("push not recorded by git-token", { ...where, reason: result.reason });
  } catch (error) {
    log.warn("push not recorded: git-token could not be called", { ...where, error: errorFields(error) });
  }
}
