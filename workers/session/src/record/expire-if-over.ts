import type { SessionDeps } from "../types.ts";
import type { SessionExpiry } from "../user-index/expire-due-sessions.ts";
import { endSession } from "./end-session.ts";
import { sessionExpiresAt } from "./session-deadline.ts";

/**
 * Ends the session if its absolute lifetime is over, as its user's index asks when the entry's time has
 * come (`expireDueSessions`); else answers when it ends. A session that is gone or already ended is
 * over for the index. Only time decides, never the caller: the index of another user naming this
 * session cannot end it early.
 */
export async function expireIfOver(deps: SessionDeps): Promise<SessionExpiry> {
  const record = await deps.store.load();
  if (record === undefined) return { over: true };
  const endsAt = sessionExpiresAt(record, deps.lifetimeMs);
  if (deps.now() < endsAt) return { over: false, endsAt };
  await endSession(deps, { kind: "user", userId: record.userId }, "expired");
  return { over: true };
}
