/** First retry after this long; doubles per attempt. */
export const BACKOFF_BASE_MS = 2_000;
/** Never wait longer than this between two attempts (unless GitHub asks for longer). */
export const BACKOFF_MAX_MS = 5 * 60_000;
/** GitHub's `retry-after` is honoured up to this; a longer one is GitHub's problem, not a reason to sleep an hour. */
const RETRY_AFTER_MAX_MS = 15 * 60_000;

/**
 * Delay before background-preparation attempt `attempt + 1` after a transient failure: exponential from
 * 2 s, capped at 5 minutes, with ±20 % jitter so many sessions failing together do not retry together,
 * and never earlier than the `retryAfterSeconds` GitHub (through git-token) asked for.
 */
export function computeBackoff(
  attempt: number,
  retryAfterSeconds: number | undefined,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(exponential * (0.8 + 0.4 * random()));
  const asked = Math.min(RETRY_AFTER_MAX_MS, Math.max(0, (retryAfterSeconds ?? 0) * 1000));
  return Math.max(jittered, asked);
}
