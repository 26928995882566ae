import type { RpcFailure } from "@gitcred/client";
import { timingSafeEqual } from "@gitcred/utils";
import type { Caller, SessionDeps, SessionRecord } from "../types.ts";
import { endSession, isEndedFor } from "./end-session.ts";
import { sessionExpiresAt } from "./session-deadline.ts";

/** The answer for a missing session, another user's session and a wrong secret alike: nothing to learn. */
export const NOT_FOUND: RpcFailure<"not_found"> = {
  ok: false,
  reason: "not_found",
  message: "no such session",
};

/** Why an authorized caller cannot use the session any more. */
export type SessionOver = RpcFailure<"session_ended" | "session_expired">;

const OVER: Record<"ended" | "expired", SessionOver> = {
  ended: { ok: false, reason: "session_ended", message: "the session was ended" },
  expired: { ok: false, reason: "session_expired", message: "the session outlived its lifetime" },
};

/**
 * Loads the session if `caller` may use it: the platform names the user who prepared it; the sandbox
 * presents the session secret, compared by hash in constant time. Anything else is `not_found`. The
 * owner (or the last secret's holder) of an ended session learns `session_ended`; of a session past its
 * absolute lifetime, `session_expired` — checked on every call, so a sandbox that keeps the session busy
 * (every use resets the idle timer) is still cut off on time, before the alarm has even run; the session
 * is ended then and there (memory, storage, sockets).
 */
export async function authorizeCaller(
  deps: SessionDeps,
  caller: Caller,
): Promise<{ ok: true; record: SessionRecord } | RpcFailure<"not_found"> | SessionOver> {
  const record = await deps.store.load();
  if (record === undefined) {
    const ended = await deps.store.loadEnded();
    return ended !== undefined && isEndedFor(ended, caller) ? OVER[ended.reason] : NOT_FOUND;
  }
  const allowed =
    caller.kind === "user"
      ? caller.userId === record.userId
      : // The sandbox's secret and the proxy's (the secret git presented) are checked alike.
        timingSafeEqual(caller.secretSha256, record.secretSha256);
  if (!allowed) return NOT_FOUND;
  if (deps.now() >= sessionExpiresAt(record, deps.lifetimeMs)) {
    await endSession(deps, caller, "expired");
    return OVER.expired;
  }
  return { ok: true, record };
}
