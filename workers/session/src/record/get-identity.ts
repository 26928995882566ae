import type { RpcFailure, SessionFailureReason, SessionIdentityBody } from "@gitcred/client";
import { checkReady } from "../preparation/check-ready.ts";
import type { Caller, SessionDeps } from "../types.ts";
import { authorizeCaller } from "./authorize-caller.ts";
import { sessionTrailers } from "./session-trailers.ts";

/**
 * Who commits should say they are by, right now: what the sandbox's commit hook reads so a commit made
 * after a downgrade carries the bot as author and the person as co-author. Holds no token.
 */
export async function getIdentity(
  deps: SessionDeps,
  caller: Caller,
): Promise<SessionIdentityBody | RpcFailure<SessionFailureReason>> {
  const authorized = await authorizeCaller(deps, caller);
  if (!authorized.ok) return authorized;
  const { record } = authorized;
  const notReady = checkReady(record, deps.now());
  if (notReady !== undefined) return notReady;
  if (record.identity === null || record.author === null) {
    return { ok: false, reason: "internal_error", message: "a ready session without identity" };
  }
  return {
    ok: true,
    identity: record.identity,
    author: record.author,
    commitTrailers: sessionTrailers(record),
    downgraded: record.downgradedAt !== undefined,
  };
}
