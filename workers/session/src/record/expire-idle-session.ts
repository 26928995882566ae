import type { SessionDeps } from "../types.ts";

/**
 * A session nobody used for this long is forgotten. "Used" is any change to its record: a ready session
 * that hands out tokens writes a new token expiry at least every few hours (installation tokens live 1 h).
 */
export const SESSION_IDLE_TTL_MS = 30 * 24 * 3600_000;

/** When the session's object should next check whether it is idle. */
export function idleCheckAt(updatedAt: string): number {
  return Date.parse(updatedAt) + SESSION_IDLE_TTL_MS;
}

/**
 * The alarm of a session that is no longer preparing: delete everything once it has been idle for
 * `SESSION_IDLE_TTL_MS` (Durable Object storage is not free and a session's facts are not needed after
 * it ended), else check again when it would be. Returns whether the session was deleted.
 */
export async function expireIdleSession(deps: SessionDeps): Promise<boolean> {
  const record = await deps.store.load();
  if (record === undefined) return false;
  const due = idleCheckAt(record.updatedAt);
  if (deps.now() < due) {
    await deps.scheduleAlarm(due);
    return false;
  }
  await deps.store.destroy();
  deps.memory.held = undefined;
  deps.log.info("idle session deleted", { state: record.state });
  return true;
}
