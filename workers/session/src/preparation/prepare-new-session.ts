import type { PrepareSessionResult } from "@gitcred/client";
import { callGitToken } from "../credentials/call-git-token.ts";
import { toFailure } from "../credentials/to-credentials.ts";
import { personOf } from "../record/person-of.ts";
import { nextCheckAt } from "../record/session-deadline.ts";
import { toSnapshot } from "../record/to-snapshot.ts";
import { stampEvents } from "../record/update-record.ts";
import type { SessionDeps, SessionRecord } from "../types.ts";
import { failedAttempt, preparedToken, readyChange } from "./attempt-preparation.ts";
import { markFailed } from "./mark-failed.ts";

/** The answer when the user's index refuses another live session. */
export const TOO_MANY_SESSIONS = {
  ok: false,
  reason: "rate_limited",
  message: "too many live sessions for this user",
} as const;

/**
 * Enters the session in its user's index (`UserSessionIndex.add`); false when the user has too many
 * live sessions. Throws when the index cannot be reached (the caller answers a retryable failure).
 */
export type RegisterSession = () => Promise<boolean>;

/**
 * A new session prepared `now`, with the least durable work: the index entry and the token are asked for
 * at once, and the record is written once, already `ready`, with its `prepared` event in the same
 * commit; its end is its index entry's (the index's alarm ends it at its lifetime), so it sets no alarm.
 * The order that lets `endSessionsForUser` never miss a session still holds: nothing of the session
 * exists (no record, so every route answers `not_found`, no token handed out) before its index entry does. An "end all" that lists the index after the entry but before the commit ends the
 * session's object then (an end marker, `markAbsent`), which this function finds before it writes:
 * `"changed"`, as when another call created the session meanwhile. The caller then prepares again from
 * the top, which answers `session_ended` (or rotates the secret of the session the other call made).
 * Before, a preparation waited for the index, then wrote its record, then its ready record and alarm:
 * three commits and two objects in sequence (P4 in docs/BENCHMARKS.md, 0.31 × a bare object's commit).
 */
export async function prepareNewSession(
  deps: SessionDeps,
  draft: SessionRecord,
  register: RegisterSession,
  sessionSecret: string,
): Promise<PrepareSessionResult | "changed"> {
  const [registered, result] = await Promise.all([register(), callGitToken(deps, draft, draft.prefer)]);
  if (!registered) return TOO_MANY_SESSIONS;
  const prepared = result.ok ? await preparedToken(deps, result) : failedAttempt(result);
  // Another call may have run while this one waited (an end of all the user's sessions, a second prepare
  // of this id): nothing is written over what it did. No await between these reads and the write below
  // but storage's own, so no other call can slip in between (the object's input gate).
  if ((await deps.store.load()) !== undefined || (await deps.store.loadEnded()) !== undefined)
    return "changed";
  const time = new Date(deps.now()).toISOString();
  if (!("held" in prepared)) {
    // As a failed attempt on a stored record: the record, then `failed` (rare; two commits are fine).
    await deps.store.save(draft);
    const marked = await markFailed(deps, prepared, 1);
    if (marked !== undefined) await deps.scheduleAlarm(nextCheckAt(marked, deps.lifetimeMs));
    return toFailure(prepared);
  }
  const change = readyChange(draft, prepared);
  if (change === undefined) return { ok: false, reason: "internal_error", message: "the session was lost" };
  const { record, events } = stampEvents(change.record, change.events ?? [], time);
  // One commit, and no alarm: the index entry, already stored, carries the session's end, and the
  // index's alarm ends it then (`expireDueSessions`). An alarm here cost a second write per
  // preparation, in the runtime's alarm store (P4 in docs/BENCHMARKS.md).
  await deps.store.save(record, events);
  deps.publish(events);
  deps.memory.held = prepared.held;
  deps.log.info("session prepared", { identity: record.identity, fallbackReason: prepared.fallbackReason });
  const person = await personOf(deps, record.userId);
  return { ok: true, session: toSnapshot(record, person, deps.lifetimeMs), sessionSecret };
}
