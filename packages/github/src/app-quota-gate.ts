/**
 * App-wide back-off from GitHub's rate-limit headers. The App's JWT bucket and each installation's
 * bucket are separate at GitHub, but they are one App: when an earlier answer to an App-authenticated
 * request (JWT or installation token) shows `x-ratelimit-remaining` at or below a small reserve, App
 * requests are held back here until `x-ratelimit-reset` instead of being sent: spending the reserve
 * would only earn 403s for every tenant, and GitHub may ban an integration that keeps going past its
 * limits ("Best practices for using the REST API"). A limit answer itself (403/429 with `retry-after`
 * or `remaining: 0`) is not held here: it goes back to the caller as `rate_limited` with that wait,
 * and gitcred's callers never retry before it.
 * Memory only, per isolate, on an injected clock.
 */
export interface AppQuotaGate {
  /** Seconds to wait before App requests may go out again, or undefined when they may go now. */
  holdFor(now: number): number | undefined;
  /** Reads one answer's headers to an App-authenticated request. */
  observe(status: number, headers: Headers, now: number): void;
  /** Forgets every hold (tests; an operator who knows the limit was lifted). */
  clear(): void;
  /** Requests held back so far (reported by the reliability run). */
  readonly heldBack: number;
}

/** The part of a bucket kept in reserve: 2 % of the limit, at least one request. */
function reserveOf(limit: number): number {
  return Math.max(1, Math.ceil(limit * 0.02));
}

/** Never hold longer than a primary window, whatever a header claims. */
const MAX_HOLD_MS = 3600_000;

/** Creates a gate. */
export function createAppQuotaGate(): AppQuotaGate {
  let until = 0;
  let heldBack = 0;
  const holdUntil = (at: number, now: number) => {
    until = Math.max(until, Math.min(at, now + MAX_HOLD_MS));
  };
  return {
    holdFor(now) {
      if (until <= now) return undefined;
      heldBack += 1;
      return Math.max(1, Math.ceil((until - now) / 1000));
    },
    observe(status, headers, now) {
      const remaining = Number(headers.get("x-ratelimit-remaining") ?? Number.NaN);
      const limit = Number(headers.get("x-ratelimit-limit") ?? Number.NaN);
      const reset = Number(headers.get("x-ratelimit-reset") ?? Number.NaN);
      if (!Number.isFinite(remaining) || !Number.isFinite(limit) || !Number.isFinite(reset)) return;
      // Only a successful answer says "low": a 403 at 0 is already answered as rate_limited with its wait.
      if (status >= 200 && status < 300 && remaining <= reserveOf(limit)) holdUntil(reset * 1000, now);
    },
    clear() {
      until = 0;
    },
    get heldBack() {
      return heldBack;
    },
  };
}
