/**
 * GitHub's failed login limit, remembered per person in this isolate. Once GitHub answered that it
 * refuses every authentication of a person for a while ("Maximum number of login attempts exceeded"),
 * every further request with any of their tokens would be refused too and may extend the lockout
 * (arul28/ADE #1137: a platform's retries got its whole OAuth host limited). So the person's path answers
 * `rate_limited` with the time left, without calling GitHub, until the wait GitHub's answer implied has
 * passed. Memory only: another isolate learns it from its own first refused call.
 */
const holds = new Map<string, number>();
let seen = 0;

/** Bounds the map: a flood of locked-out people must not grow it without end. */
const MAX_ENTRIES = 10_000;

export const lockoutHold = {
  /** Seconds until the person's lockout is over, or undefined when GitHub may be asked. */
  remaining(userId: string, now: number): number | undefined {
    const until = holds.get(userId);
    if (until === undefined) return undefined;
    if (until <= now) {
      holds.delete(userId);
      return undefined;
    }
    return Math.max(1, Math.ceil((until - now) / 1000));
  },

  /** Records that GitHub locked the person out, for `retryAfterSeconds` from `now`. */
  start(userId: string, retryAfterSeconds: number, now: number): void {
    if (holds.size >= MAX_ENTRIES) holds.delete(holds.keys().next().value ?? "");
    holds.set(userId, Math.max(holds.get(userId) ?? 0, now + retryAfterSeconds * 1000));
    seen += 1;
  },

  /** Lockouts GitHub reported to this isolate so far (the reliability run reports them). */
  get seen(): number {
    return seen;
  },
};
