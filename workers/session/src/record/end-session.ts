import type { EndSessionResult } from "@gitcred/client";
import { timingSafeEqual } from "@gitcred/utils";
import type { Caller, EndedSession, SessionDeps } from "../types.ts";
import { NOT_FOUND } from "./authorize-caller.ts";

/**
 * An end marker is kept this long (as long as an idle session, 30 days), so the ended id cannot be
 * prepared again meanwhile; then it goes too.
 */
export const ENDED_RETENTION_MS = 30 * 24 * 3600_000;

/** Whether `caller` is the owner of the ended session or holds its last secret. */
export function isEndedFor(ended: EndedSession, caller: Caller): boolean {
  return caller.kind === "user"
    ? caller.userId === ended.userId
    : timingSafeEqual(caller.secretSha256, ended.secretSha256);
}

/**
 * Ends the session for good: the token in memory and the person's identity are forgotten, everything
 * stored (record, events, alarm) is deleted but an end marker, and every event socket is closed. The
 * secret stops working at once (the marker only recognises it to say `session_ended`); so does anything a
 * proxy capability would derive from it. Without this a platform could not take back a sandbox's access
 * before the idle timer ran out. Idempotent: a second call answers `alreadyEnded`. `markAbsent` (for
 * `endSessionsForUser`) leaves an end marker even when no session exists yet, so a `prepareSession`
 * racing with the "end all" cannot create it afterwards.
 */
export async function endSession(
  deps: SessionDeps,
  caller: Caller,
  reason: EndedSession["reason"],
  options: { markAbsent?: boolean } = {},
): Promise<EndSessionResult> {
  const record = await deps.store.load();
  if (record === undefined) {
    const ended = await deps.store.loadEnded();
    if (ended !== undefined) {
      return isEndedFor(ended, caller) ? { ok: true, endedAt: ended.endedAt, alreadyEnded: true } : NOT_FOUND;
    }
    if (options.markAbsent !== true || caller.kind !== "user") return NOT_FOUND;
    const endedAt = new Date(deps.now()).toISOString();
    await deps.store.end({ userId: caller.userId, reason, endedAt, secretSha256: "" });
    await deps.scheduleAlarm(deps.now() + ENDED_RETENTION_MS);
    return { ok: true, endedAt, alreadyEnded: false };
  }
  const allowed =
    caller.kind === "user"
      ? caller.userId === record.userId
      : timingSafeEqual(caller.secretSha256, record.secretSha256);
  if (!allowed) return NOT_FOUND;
  const endedAt = new Date(deps.now()).toISOString();
  await deps.store.end({ userId: record.userId, reason, endedAt, secretSha256: record.secretSha256 });
  deps.memory.held = undefined;
  deps.memory.person = undefined;
  deps.memory.settled = undefined;
  deps.closeSockets();
  await deps.scheduleAlarm(deps.now() + ENDED_RETENTION_MS);
  deps.log.info("session ended", { reason, state: record.state });
  return { ok: true, endedAt, alreadyEnded: false };
}
