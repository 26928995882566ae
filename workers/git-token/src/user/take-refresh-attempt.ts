/**
 * Refresh attempts a person may cause per hour. A normal day needs about three (8-hour tokens) plus a
 * few forced by rejections; a loop that keeps refreshing a dead grant (one platform sent 100,686 failed
 * refreshes in 5 hours and got its whole OAuth host rate limited) is stopped here after this many.
 */
export const REFRESH_ATTEMPTS_PER_HOUR = 30;

const WINDOW_MS = 3600_000;
const KEY = "refresh-budget";

/** The slice of Durable Object storage the budget needs. */
export interface BudgetStorage {
  get<T>(key: string): Promise<T | undefined>;
  put<T>(key: string, value: T): Promise<void>;
}

interface Window {
  startedAt: number;
  used: number;
}

/**
 * Counts one refresh attempt of the person whose UserTokenRefresher owns `storage` (the one place their
 * refreshes happen, so the count is complete and needs no coordination). Over the cap: how long until
 * the hour that started with the first attempt ends; nothing is sent to GitHub meanwhile.
 */
export async function takeRefreshAttempt(
  storage: BudgetStorage,
  now: number,
  cap: number = REFRESH_ATTEMPTS_PER_HOUR,
): Promise<{ ok: true; used: number } | { ok: false; retryAfterSeconds: number }> {
  const current = await storage.get<Window>(KEY);
  const window =
    current === undefined || current.startedAt + WINDOW_MS <= now ? { startedAt: now, used: 0 } : current;
  if (window.used >= cap) {
    return {
      ok: false,
      retryAfterSeconds: Math.max(1, Math.ceil((window.startedAt + WINDOW_MS - now) / 1000)),
    };
  }
  const next = { startedAt: window.startedAt, used: window.used + 1 };
  await storage.put(KEY, next);
  return { ok: true, used: next.used };
}
