import type { EndSessionResult, EndSessionsForUserResult } from "@gitcred/client";
import { eachInBatches } from "./each-in-batches.ts";

/** What ending a user's sessions needs: their index and a way to end one session as them. */
export interface EndSessionsDeps {
  index: { list(): Promise<string[]>; remove(sessionIds: string[]): Promise<void> };
  /** Ends `sessionId` as `userId`, leaving an end marker even where no session exists yet. */
  endOne(sessionId: string): Promise<EndSessionResult>;
}

/** Sessions ended at once; the rest wait their turn (a user rarely has more than a handful). */
const CONCURRENCY = 16;

/**
 * Ends every session the user's index names (`endSession` on each: credentials, secret and sockets gone),
 * then forgets the entries that were ended. The settings page needs it to honour "end the sessions that
 * use my identity" without knowing their ids. An entry whose session id belongs to someone else answers
 * `not_found` and ends nothing. If some could not be reached the call fails with a retry time and keeps
 * their entries, so a retry finishes the job: a person is never told their sessions ended when one lives.
 */
export async function endSessionsForUser(deps: EndSessionsDeps): Promise<EndSessionsForUserResult> {
  const ids = await deps.index.list();
  let ended = 0;
  const done: string[] = [];
  let failed = 0;
  for (const { id, result } of await eachInBatches(ids, CONCURRENCY, deps.endOne)) {
    if (result === undefined || (!result.ok && result.reason !== "not_found")) {
      failed++;
      continue;
    }
    if (result.ok && !result.alreadyEnded) ended++;
    done.push(id);
  }
  await deps.index.remove(done);
  if (failed > 0) {
    return {
      ok: false,
      reason: "internal_error",
      message: `${failed} session(s) could not be ended; try again`,
      retryAfterSeconds: 2,
    };
  }
  return { ok: true, ended };
}
