import type { GitAuthor, RpcFailure, SessionFailureReason, SessionIdentityBody } from "@gitcred/client";
import { acquireShared } from "../credentials/acquire-shared.ts";
import { toFailure } from "../credentials/to-credentials.ts";
import { checkReady } from "../preparation/check-ready.ts";
import type { Caller, SessionDeps, SessionRecord } from "../types.ts";
import { authorizeCaller } from "./authorize-caller.ts";
import { personOf } from "./person-of.ts";
import { sessionAuthor, sessionTrailers } from "./session-trailers.ts";

/**
 * Who commits should say they are by, right now: what the sandbox's commit hook reads so a commit made
 * after a downgrade carries the bot as author and the person as co-author. Holds no token. The person's
 * identity is never stored: it comes from memory or git-token; when git-token names nobody for a session
 * that commits as the person (they disconnected or were erased), the session's token is fetched again,
 * which downgrades it, rather than inventing an author.
 */
export async function getIdentity(
  deps: SessionDeps,
  caller: Caller,
): Promise<SessionIdentityBody | RpcFailure<SessionFailureReason>> {
  const authorized = await authorizeCaller(deps, caller);
  if (!authorized.ok) return authorized;
  let record: SessionRecord = authorized.record;
  const notReady = checkReady(record, deps.now());
  if (notReady !== undefined) return notReady;
  const held = deps.memory.held;
  let person: GitAuthor | null =
    held?.identity === "user" && record.identity === "user"
      ? held.author
      : await personOf(deps, record.userId);
  if (record.identity === "user" && person === null) {
    const outcome = await acquireShared(deps);
    if (!outcome.ok) return toFailure(outcome);
    record = outcome.record;
    person = outcome.held.identity === "user" ? outcome.held.author : await personOf(deps, record.userId);
  }
  const author = sessionAuthor(record, person);
  if (record.identity === null || author === null) {
    return { ok: false, reason: "internal_error", message: "a ready session without identity" };
  }
  return {
    ok: true,
    identity: record.identity,
    author,
    commitTrailers: sessionTrailers(record, person),
    downgraded: record.downgradedAt !== undefined,
  };
}
