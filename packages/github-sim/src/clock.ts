/**
 * The simulator clock: real time plus an offset that `POST /_sim/clock` advances.
 * Every expiry (codes, tokens, JWT checks, rate-limit windows) reads this clock.
 */

/** A clock whose offset lives in the simulator settings. */
export interface SimClock {
  /** Milliseconds since the epoch, sim time. */
  nowMs(): number;
  /** Whole seconds since the epoch, sim time. */
  nowSeconds(): number;
  /** ISO 8601 without milliseconds, as GitHub prints times (`2026-11-22T18:04:00Z`). */
  iso(offsetSeconds?: number): string;
}

/** Formats epoch milliseconds the way GitHub does: second precision, `Z`. */
export function githubIso(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** Builds a clock reading its offset through `getOffsetMs` at every call. */
export function createClock(getOffsetMs: () => number): SimClock {
  const nowMs = () => Date.now() + getOffsetMs();
  return {
    nowMs,
    nowSeconds: () => Math.floor(nowMs() / 1000),
    iso: (offsetSeconds = 0) => githubIso(nowMs() + offsetSeconds * 1000),
  };
}

/** Whether an ISO expiry time lies in the past of `clock`. */
export function isExpired(clock: SimClock, expiresAt: string | null): boolean {
  return expiresAt !== null && Date.parse(expiresAt) <= clock.nowMs();
}
