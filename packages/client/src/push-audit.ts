/**
 * The push audit: how the session worker's git proxy records each push it forwarded or refused, so the
 * person's settings page ("what agents did as you") lists it after the session's own event log is gone.
 * Its own entrypoint (`GitTokenSessionAudit`), bound by the session worker only: the platform's
 * `GitTokenService` cannot write into a person's activity.
 */
import type { RpcFailure } from "./git-token.ts";
import type { WorkerHealth } from "./types.ts";

/** One ref update of a push: the name and object ids git sent, never a secret. */
export interface RecordedRefUpdate {
  /** A full ref name as git check-ref-format allows it (`refs/heads/agent/x`), at most 255 characters. */
  ref: string;
  /** 40 (SHA-1) or 64 (SHA-256) lowercase hex digits; all zeros for a created ref. */
  oldId: string;
  /** As `oldId`; all zeros for a deleted ref. */
  newId: string;
}

export interface RecordGitPushInput {
  /** The person whose identity (or whose session, on the App's bot) pushed. */
  userId: string;
  /** The session's tenant, when it has one. */
  tenantId?: string;
  sessionId: string;
  owner: string;
  repo: string;
  /** Whose identity the push carried: the person's (`user`) or the App's bot (`app`). */
  identity: "user" | "app";
  /** 1 to 50 ref updates, as the push asked for them (the rest counted in `omittedRefs`). */
  refs: RecordedRefUpdate[];
  /** Ref updates of the push not in `refs` (over the cap, or names git itself would not write). */
  omittedRefs?: number;
  /** Present when the proxy refused the push (nothing reached GitHub): why, as a machine word. */
  refused?: { reason: "branch_policy" };
}

export type RecordGitPushResult =
  | { ok: true; event: "git_push" | "git_push_refused" }
  | RpcFailure<"invalid_request" | "internal_error" | "database_unavailable">;

/**
 * `entrypoint = "GitTokenSessionAudit"`: bind it to the session worker only. Its one method writes an
 * audit row under the user id it is given, so whoever holds it can add entries to anyone's activity; it
 * returns nothing of anyone and mints nothing.
 */
export interface GitTokenSessionAuditRpc extends Rpc.WorkerEntrypointBranded {
  health(): Promise<WorkerHealth>;
  /** Records one push through the git proxy (`git_push`, or `git_push_refused` with `refused`). */
  recordGitPush(input: RecordGitPushInput): Promise<RecordGitPushResult>;
}
