import { updateRecord } from "../record/update-record.ts";
import type { SessionDeps } from "../types.ts";
import { attemptShared } from "./attempt-preparation.ts";
import { computeBackoff } from "./compute-backoff.ts";
import { markFailed } from "./mark-failed.ts";

/** Background preparation gives up after this many attempts (about 2 minutes of backoff in all). */
export const MAX_PREPARATION_ATTEMPTS = 7;

/**
 * The alarm's work: one preparation attempt for a session still `preparing`. A transient failure (GitHub
 * or Postgres trouble, git-token unreachable) schedules the next attempt with backoff and records a
 * `preparation_retry` event; a permanent one, or too many attempts, ends in `failed` with the reason.
 * The stored input is ids only (user, repository): the token is fetched when the attempt runs.
 */
export async function runPreparationAlarm(deps: SessionDeps): Promise<void> {
  const record = await deps.store.load();
  if (record === undefined || record.state !== "preparing") return;
  const outcome = await attemptShared(deps);
  if (outcome.ok) return;
  const current = await deps.store.load();
  if (current === undefined || current.state !== "preparing") return;
  const attempts = current.preparation.attempts + 1;
  if (!outcome.transient || attempts >= MAX_PREPARATION_ATTEMPTS) {
    await markFailed(deps, outcome, attempts);
    return;
  }
  const at = deps.now() + computeBackoff(attempts, outcome.retryAfterSeconds);
  const retryAt = new Date(at).toISOString();
  await updateRecord(deps, (latest) => {
    if (latest.state !== "preparing") return undefined;
    return {
      record: { ...latest, preparation: { mode: latest.preparation.mode, attempts, nextAttemptAt: retryAt } },
      events: [
        {
          type: "preparation_retry",
          level: "warning",
          reason: outcome.reason,
          attempt: attempts,
          retryAt,
          message: `Preparing the session failed for a passing reason (${outcome.reason}); trying again at ${retryAt}.`,
        },
      ],
    };
  });
  deps.log.info("session preparation will be retried", { reason: outcome.reason, attempts, retryAt });
  await deps.scheduleAlarm(at);
}
