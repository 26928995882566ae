import type { ApiResult } from "./types.ts";

/**
 * Reasons worth waiting for: the session is still being prepared, or GitHub/the service is briefly down
 * (`busy`: the person's token is being refreshed by another of their sessions right now).
 */
const WAIT_FOR = new Set([
  "not_ready",
  "unreachable",
  "github_unavailable",
  "rate_limited",
  "database_unavailable",
  "busy",
]);

/**
 * Whether the answer says "later": a reason above, or an `internal_error` that names a retry time (the
 * session worker could not reach git-token or the session's object, as it classifies its own retries).
 */
function isTransient(result: { reason: string; retryAfterSeconds?: number }): boolean {
  return (
    WAIT_FOR.has(result.reason) ||
    (result.reason === "internal_error" && result.retryAfterSeconds !== undefined)
  );
}

export interface WaitOptions {
  /** Give up after this long (default 90 s). */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Repeats a session API call while the answer says "later" (`retryAfterSeconds`, 1–10 s per wait), up to
 * `maxWaitMs`: a sandbox often starts before its session is prepared, and a push should not fail for it.
 * Any other answer is returned at once.
 */
export async function waitForSession<T>(
  call: () => Promise<ApiResult<T>>,
  options: WaitOptions = {},
): Promise<ApiResult<T>> {
  const deadline = Date.now() + (options.maxWaitMs ?? 90_000);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (;;) {
    const result = await call();
    if (result.ok) return result;
    const waitMs = Math.min(10, Math.max(1, result.retryAfterSeconds ?? 2)) * 1000;
    if (!isTransient(result) || Date.now() + waitMs > deadline) return result;
    await sleep(waitMs);
  }
}
