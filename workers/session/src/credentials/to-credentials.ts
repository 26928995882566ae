import type { GitCredentials, RpcFailure, SessionFailureReason } from "@gitcred/client";
import { personOf } from "../record/person-of.ts";
import { sessionTrailers } from "../record/session-trailers.ts";
import type { AcquireOutcome, HeldToken, SessionDeps, SessionRecord } from "../types.ts";

/**
 * The credential answer for `held`: the author git-token named with that token (memory only) and the
 * trailers the record says commits must carry (the person as co-author of the bot's commits, looked up
 * through `personOf` because their name is never stored).
 */
export async function toCredentials(
  deps: SessionDeps,
  record: SessionRecord,
  held: HeldToken,
): Promise<GitCredentials> {
  const person = record.identity === "app" ? await personOf(deps, record.userId) : null;
  return {
    ok: true,
    token: held.token,
    expiresAt: held.expiresAt === null ? null : new Date(held.expiresAt).toISOString(),
    identity: held.identity,
    author: held.author,
    commitTrailers: sessionTrailers(record, person),
    downgraded: record.downgradedAt !== undefined,
  };
}

/** A failed outcome (a token fetch or a preparation attempt) as an RPC failure. */
export function toFailure(outcome: {
  reason: string;
  message?: string;
  retryAfterSeconds?: number;
}): RpcFailure<SessionFailureReason> {
  const failure: RpcFailure<SessionFailureReason> = {
    ok: false,
    reason: outcome.reason as SessionFailureReason,
  };
  if (outcome.message !== undefined) failure.message = outcome.message;
  if (outcome.retryAfterSeconds !== undefined) failure.retryAfterSeconds = outcome.retryAfterSeconds;
  return failure;
}

/** An acquire outcome as an RPC answer. */
export function outcomeToResult(
  deps: SessionDeps,
  outcome: AcquireOutcome,
): Promise<GitCredentials> | RpcFailure<SessionFailureReason> {
  return outcome.ok ? toCredentials(deps, outcome.record, outcome.held) : toFailure(outcome);
}
