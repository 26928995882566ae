import { type Database, hitRateLimit, pruneRateLimits } from "@gitcred/db";

/**
 * Starts allowed per page session and per person. Each start asks GitHub for a device code, and each
 * pending authorization polls GitHub's token endpoint (the App has 2,000 token requests an hour for
 * everyone): one person's page must not be able to spend that budget. A person keeps one pending
 * authorization anyway (a new start replaces the old); these bound the churn of starting over.
 */
const DEVICE_START_LIMITS = {
  perPageSession: { limit: 3, windowSeconds: 10 * 60 },
  perPerson: { limit: 6, windowSeconds: 60 * 60 },
} as const;

/** Longer than any window above: a counter older than this can no longer refuse anything. */
const COUNTER_RETENTION_MS = 24 * 60 * 60 * 1000;

export type DeviceStartAdmission =
  | { ok: true }
  | { ok: false; reason: "too_many_starts"; retryAfterSeconds: number };

/**
 * Counts one device-flow start against the page session's and the person's budgets (atomic counters in
 * Postgres, so twenty concurrent starts cannot all pass), refusing it with a retry time past either.
 */
export async function admitDeviceStart(
  db: Database,
  input: { userId: string; pageSession?: string | undefined; now: Date },
): Promise<DeviceStartAdmission> {
  // Counters past every window go (starts are rare, so this costs one statement on a small table).
  await pruneRateLimits(db, new Date(input.now.getTime() - COUNTER_RETENTION_MS));
  if (input.pageSession !== undefined) {
    const session = await hitRateLimit(db, {
      bucket: `device-start:session:${input.pageSession}`,
      userId: input.userId,
      ...DEVICE_START_LIMITS.perPageSession,
      now: input.now,
    });
    if (!session.ok)
      return { ok: false, reason: "too_many_starts", retryAfterSeconds: session.retryAfterSeconds };
  }
  const person = await hitRateLimit(db, {
    bucket: `device-start:user:${input.userId}`,
    userId: input.userId,
    ...DEVICE_START_LIMITS.perPerson,
    now: input.now,
  });
  if (!person.ok)
    return { ok: false, reason: "too_many_starts", retryAfterSeconds: person.retryAfterSeconds };
  return { ok: true };
}
