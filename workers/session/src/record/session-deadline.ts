import type { SessionRecord } from "../types.ts";
import { idleCheckAt } from "./expire-idle-session.ts";

/**
 * The absolute lifetime when `SESSION_LIFETIME_HOURS` is unset or not a number: 8 hours. Long enough for
 * a day's agent task; short enough that a session secret copied out of a sandbox is worthless by the next
 * morning, whatever the sandbox does with it meanwhile (use never extends it). A GitHub App's user token
 * lives 8 h too. Platforms with shorter tasks should lower it (Kilo caps its capabilities at 2–4 h).
 */
const DEFAULT_SESSION_LIFETIME_HOURS = 8;
/** Longer than this is refused as a configuration (it would outlive the idle timer it bounds). */
export const MAX_SESSION_LIFETIME_HOURS = 30 * 24;

/**
 * `SESSION_LIFETIME_HOURS` in ms. A value that is missing, not a positive number or above 30 days gives
 * the default: a typo must never make sessions immortal.
 */
export function parseSessionLifetime(configured: string | undefined): number {
  const hours = Number(configured?.trim() ?? "");
  const valid = configured?.trim() !== "" && Number.isFinite(hours) && hours > 0;
  return (valid && hours <= MAX_SESSION_LIFETIME_HOURS ? hours : DEFAULT_SESSION_LIFETIME_HOURS) * 3600_000;
}

/** When the session ends however busy it is (epoch ms): creation plus the lifetime; use does not move it. */
export function sessionExpiresAt(record: Pick<SessionRecord, "createdAt">, lifetimeMs: number): number {
  return Date.parse(record.createdAt) + lifetimeMs;
}

/**
 * When the object's alarm should next look at a session that is no longer preparing: its absolute end or
 * its idle deadline, whichever comes first. Without the first, the 30-day idle timer that every use resets
 * would keep a busy session (and its secret) alive for ever.
 */
export function nextCheckAt(
  record: Pick<SessionRecord, "createdAt" | "updatedAt">,
  lifetimeMs: number,
): number {
  return Math.min(idleCheckAt(record.updatedAt), sessionExpiresAt(record, lifetimeMs));
}
