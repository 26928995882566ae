import type { CompleteDeviceAuthorizationResult } from "@gitcred/client";
import type { DeviceRecord } from "./types.ts";

/** What the alarm does after one poll: the next record, and when to poll again (if at all). */
export interface PollOutcome {
  record: DeviceRecord;
  nextPollAt?: number;
}

/**
 * Decides the next state of a device authorization from one poll's result. Pure, so every GitHub answer
 * (`authorization_pending`, `slow_down` +5 s for this and every later poll, `expired_token`,
 * `access_denied`, transient trouble) is testable without a clock or a network.
 */
export function nextDeviceState(
  record: DeviceRecord,
  result: CompleteDeviceAuthorizationResult,
  now: number,
): PollOutcome {
  const polled = { ...record, polls: record.polls + 1 };
  const end = (status: DeviceRecord["status"], extra: Partial<DeviceRecord> = {}): PollOutcome => {
    const { deviceCodeEnc: _dropped, ...rest } = polled;
    return { record: { ...rest, status, ...extra } };
  };
  if (result.ok) return end("connected", { login: result.login });
  const again = (record: DeviceRecord, afterSeconds: number): PollOutcome => {
    const at = now + afterSeconds * 1000;
    return at >= record.expiresAt ? end("expired") : { record, nextPollAt: at };
  };
  switch (result.reason) {
    case "authorization_pending":
      return again(polled, polled.intervalSeconds);
    case "slow_down": {
      const slower = { ...polled, intervalSeconds: polled.intervalSeconds + 5 };
      return again(slower, slower.intervalSeconds);
    }
    case "github_unavailable":
    case "rate_limited":
    case "database_unavailable":
    case "busy":
      return again(polled, Math.max(polled.intervalSeconds, result.retryAfterSeconds ?? 0));
    case "expired_token":
      return end("expired");
    case "access_denied":
      return end("denied");
    default:
      return end("failed", { failureReason: result.reason });
  }
}
