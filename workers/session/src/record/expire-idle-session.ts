import type { SessionDeps } from "../types.ts";
import { ENDED_RETENTION_MS, endSession } from "./end-session.ts";
import { nextCheckAt, sessionExpiresAt } from "./session-deadline.ts";

/**
 * A session nobody used for this long is forgotten. "Used" is any change to its record: a ready session
 * that hands out tokens writes a new token expiry at least every few hours (installation tokens live 1 h).
 * It never keeps a session beyond its absolute lifetime (session-deadline.ts).
 */
const SESSION_IDLE_TTL_MS = 30 * 24 * 3600_000;

/** When the session's object should next check whether it is idle. */
export function idleCheckAt(updatedAt: string): number {
  return Date.parse(updatedAt) + SESSION_IDLE_TTL_MS;
}

/**
 * The alarm of a session that is no longer preparing. Past its absolute lifetime it is ended (secret,
 * memory and sockets gone, an end marker kept); idle for `SESSION_IDLE_TTL_MS` it is deleted (Durable
 * Object storage is not free and a session's facts are not needed after it ended); else the alarm is set
 * for whichever comes first. An end marker is deleted once kept `ENDED_RETENTION_MS`. Returns whether
 * the session was ended or deleted.
 */
export async function expireIdleSession(deps: SessionDeps): Promise<boolean> {
  const record = await deps.store.load();
  if (record === undefined) {
    const ended = await deps.store.loadEnded();
    if (ended === undefined) return false;
    const due = Date.parse(ended.endedAt) + ENDED_RETENTION_MS;
    if (deps.now() < due) {
      await deps.scheduleAlarm(due);
      return false;
    }
    await deps.store.destroy();
    return true;
  }
  if (deps.now() >= sessionExpiresAt(record, deps.lifetimeMs)) {
    await endSession(deps, { kind: "user", userId: record.userId }, "expired");
    return true;
  }
  const due = idleCheckAt(record.updatedAt);
  if (deps.now() < due) {
    await deps.scheduleAlarm(nextCheckAt(record, deps.lifetimeMs));
    return false;
  }
  await deps.store.destroy();
  deps.memory.held = undefined;
  deps.memory.person = undefined;
  deps.closeSockets();
  deps.log.info("idle session deleted", { state: record.state });
  return true;
}
