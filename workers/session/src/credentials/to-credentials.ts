import type { GitCredentials, RpcFailure, SessionFailureReason } from "@gitcred/client";
import { sessionTrailers } from "../record/session-trailers.ts";
import type { AcquireOutcome, HeldToken, SessionRecord } from "../types.ts";

/** The credential answer for `held`, with the author and trailers the record says commits must carry. */
export function toCredentials(record: SessionRecord, held: HeldToken): GitCredentials {
  return {
    ok: true,
    token: held.token,
    expiresAt: held.expiresAt === null ? null : new Date(held.expiresAt).toISOString(),
    identity: held.identity,
    // A ready record always has an author; the bot's name is the fallback that cannot lie about a person.
    author: record.author ?? { name: "gitcred", email: "gitcred@users.noreply.github.com" },
    commitTrailers: sessionTrailers(record),
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
export function outcomeToResult(outcome: AcquireOutcome): GitCredentials | RpcFailure<SessionFailureReason> {
  return outcome.ok ? toCredentials(outcome.record, outcome.held) : toFailure(outcome);
}
