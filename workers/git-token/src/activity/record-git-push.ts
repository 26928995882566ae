import type { RecordGitPushResult } from "@gitcred/client";
import { insertAuditEvent } from "@gitcred/db";
import type * as z from "zod";
import type { ServiceDeps } from "../deps.ts";
import type { recordGitPushInput } from "../schemas.ts";

/**
 * Records one push through the session worker's git proxy under the person (`git_push`, or
 * `git_push_refused` when the branch policy refused it), so their settings page lists it after the
 * session and its own event log are gone (#14 §6, #18). Only what the validated input holds: ids, the
 * repository, the identity and the ref names and object ids, never a token (the schema admits no field
 * that could carry one). A failure to write is thrown to the RPC boundary, which answers
 * `database_unavailable` or `internal_error`: the caller logs it and the push is not held up by it.
 */
export async function recordGitPush(
  deps: ServiceDeps,
  input: z.output<typeof recordGitPushInput>,
): Promise<RecordGitPushResult> {
  const event = input.refused === undefined ? "git_push" : "git_push_refused";
  await insertAuditEvent(deps.db(), {
    event,
    userId: input.userId,
    githubUserId: null,
    caller: deps.caller,
    detail: {
      repository: `${input.owner}/${input.repo}`,
      sessionId: input.sessionId,
      ...(input.tenantId === undefined ? {} : { tenantId: input.tenantId }),
      identity: input.identity,
      refs: input.refs.map(({ ref, oldId, newId }) => ({ ref, oldId, newId })),
      ...(input.omittedRefs === undefined || input.omittedRefs === 0
        ? {}
        : { omittedRefs: input.omittedRefs }),
      ...(input.refused === undefined ? {} : { reason: input.refused.reason }),
    },
  });
  return { ok: true, event };
}
