/**
 * GitHub's "failed login limit" ("Authenticating to the REST API"): "After detecting several requests
 * with invalid credentials within a short period, the API will temporarily reject all authentication
 * attempts for that user (including ones with valid credentials) with a 403 Forbidden response." GitHub
 * answers `Maximum number of login attempts exceeded. Please try again later.` The simulator counts
 * refused tokens it can tie to a person (revoked or expired tokens of theirs); thresholds are settings.
 */
import { parseAuthorization } from "./auth.ts";
import { looksLikeJwt } from "./jwt.ts";
import type { SimStore } from "./state.ts";

/** GitHub's message while a person is locked out. */
export const LOCKOUT_MESSAGE = "Maximum number of login attempts exceeded. Please try again later.";

/** The person a token header belongs to (valid or not), as `user:<id>`, or null (JWT, Basic, unknown). */
export function lockoutKey(store: SimStore, header: string | null): string | null {
  const parsed = parseAuthorization(header);
  if (!parsed || (parsed.scheme !== "bearer" && parsed.scheme !== "token")) return null;
  if (looksLikeJwt(parsed.credential)) return null;
  const token = store.tokens.get(parsed.credential);
  return token?.userId === null || token === undefined ? null : `user:${token.userId}`;
}

/** Whether the person is locked out now. */
export function isLockedOut(store: SimStore, key: string): boolean {
  const entry = store.loginFailures.get(key);
  return entry !== undefined && entry.lockedUntil > store.clock.nowSeconds();
}

/** Counts one refused token of the person; past the threshold the lockout starts. */
export function recordFailedLogin(store: SimStore, key: string): void {
  const { lockoutThreshold, lockoutWindowSeconds, lockoutSeconds } = store.settings;
  if (lockoutThreshold <= 0) return;
  const now = store.clock.nowSeconds();
  const previous = store.loginFailures.get(key);
  const fresh = previous === undefined || previous.windowStart + lockoutWindowSeconds <= now;
  const entry = fresh
    ? { windowStart: now, count: 1, lockedUntil: previous?.lockedUntil ?? 0 }
    : { ...previous, count: previous.count + 1 };
  if (entry.count >= lockoutThreshold) entry.lockedUntil = now + lockoutSeconds;
  store.loginFailures.set(key, entry);
}
