import { eachInBatches } from "./each-in-batches.ts";
import type { SessionIndex } from "./session-index.ts";

/** What a session's object answers when asked whether its lifetime is over (`expireIfOver`). */
export type SessionExpiry = { over: true } | { over: false; endsAt: number };

/** What ending a user's due sessions needs: their index, and a way to ask one session to end if over. */
export interface ExpireDueDeps {
  index: Pick<SessionIndex, "due" | "settle">;
  /** Ends `sessionId` if its lifetime is over (by its own record and clock); never a live one. */
  expireOne(sessionId: string): Promise<SessionExpiry>;
  now(): number;
}

/** Sessions asked at once; the rest wait their turn. */
const CONCURRENCY = 16;
/** A session that could not be asked is asked again this much later (the alarm is set for it). */
export const EXPIRY_RETRY_MS = 30_000;

/**
 * The index object's alarm: each session whose entry's end has come is asked to end if its lifetime is
 * over. The session decides by its own record, so an entry naming someone else's session (a prepare
 * with a foreign id leaves one, answered `not_found`) or a session whose lifetime was raised since can
 * never end a live session: the entry moves to the session's real end instead. Entries of sessions that
 * are over go; one that could not be reached stays and the alarm comes back for it. Without this, a
 * session prepared `now` would need an alarm of its own, a second write in the runtime's alarm store on
 * every preparation.
 */
export async function expireDueSessions(
  deps: ExpireDueDeps,
): Promise<{ over: number; later: number; failed: number }> {
  const ids = await deps.index.due();
  const over: string[] = [];
  const later = new Map<string, number>();
  let failed = 0;
  for (const { id, result } of await eachInBatches(ids, CONCURRENCY, deps.expireOne)) {
    if (result === undefined) failed++;
    else if (result.over) over.push(id);
    else later.set(id, result.endsAt);
  }
  await deps.index.settle({ over, later, retryAt: deps.now() + EXPIRY_RETRY_MS });
  return { over: over.length, later: later.size, failed };
}
