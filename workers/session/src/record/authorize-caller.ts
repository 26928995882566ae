import type { RpcFailure } from "@gitcred/client";
import { timingSafeEqual } from "@gitcred/utils";
import type { Caller, SessionDeps, SessionRecord } from "../types.ts";

/** The answer for a missing session, another user's session and a wrong secret alike: nothing to learn. */
export const NOT_FOUND: RpcFailure<"not_found"> = {
  ok: false,
  reason: "not_found",
  message: "no such session",
};

/**
 * Loads the session if `caller` may use it: the platform names the user who prepared it; the sandbox
 * presents the session secret, compared by hash in constant time. Anything else is `not_found`.
 */
export async function authorizeCaller(
  deps: SessionDeps,
  caller: Caller,
): Promise<{ ok: true; record: SessionRecord } | RpcFailure<"not_found">> {
  const record = await deps.store.load();
  if (record === undefined) return NOT_FOUND;
  const allowed =
    caller.kind === "user"
      ? caller.userId === record.userId
      : timingSafeEqual(caller.secretSha256, record.secretSha256);
  return allowed ? { ok: true, record } : NOT_FOUND;
}
