import type { RpcFailure, SessionFailureReason } from "@gitcred/client";
import type { SessionRecord } from "../types.ts";

/** How long to tell a caller to wait while a background preparation has no attempt scheduled. */
const PREPARING_RETRY_SECONDS = 2;

/**
 * Whether the session can hand out credentials: `not_ready` (with when to ask again) while it is being
 * prepared, `session_failed` (with the reason) when preparation failed for good.
 */
export function checkReady(record: SessionRecord, now: number): RpcFailure<SessionFailureReason> | undefined {
  if (record.state === "ready") return undefined;
  if (record.state === "failed") {
    return {
      ok: false,
      reason: "session_failed",
      message: `the session could not be prepared: ${record.failure?.reason ?? "unknown"}`,
    };
  }
  const next = record.preparation.nextAttemptAt;
  const wait = next === undefined ? PREPARING_RETRY_SECONDS : Math.ceil((Date.parse(next) - now) / 1000);
  return {
    ok: false,
    reason: "not_ready",
    message: "the session is being prepared",
    retryAfterSeconds: Math.max(1, Number.isFinite(wait) ? wait : PREPARING_RETRY_SECONDS),
  };
}
