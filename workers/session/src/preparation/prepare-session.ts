import type { BranchPolicy, PrepareSessionResult } from "@gitcred/client";
import { randomToken, sha256Hex } from "@gitcred/utils";
import { toFailure } from "../credentials/to-credentials.ts";
import { resolveBranchPolicy } from "../proxy/branch-policy.ts";
import { NOT_FOUND } from "../record/authorize-caller.ts";
import { endSession } from "../record/end-session.ts";
import { personOf } from "../record/person-of.ts";
import { nextCheckAt, sessionExpiresAt } from "../record/session-deadline.ts";
import { toSnapshot } from "../record/to-snapshot.ts";
import { stampEvents, updateRecord } from "../record/update-record.ts";
import type { PrepareSessionParams } from "../schemas.ts";
import type { SessionDeps, SessionRecord } from "../types.ts";
import { attemptShared } from "./attempt-preparation.ts";
import { markFailed } from "./mark-failed.ts";
import { prepareNewSession, type RegisterSession, TOO_MANY_SESSIONS } from "./prepare-new-session.ts";

function samePolicy(a: Required<BranchPolicy>, b: Required<BranchPolicy>): boolean {
  return (
    a.allowDeletions === b.allowDeletions &&
    a.allowDefaultBranch === b.allowDefaultBranch &&
    a.allow.length === b.allow.length &&
    a.allow.every((pattern, i) => pattern === b.allow[i])
  );
}

function sameWork(record: SessionRecord, input: PrepareSessionParams): boolean {
  // GitHub names are case-insensitive: `Octo/Repo` and `octo/repo` are the same repository.
  return (
    record.owner.toLowerCase() === input.owner.toLowerCase() &&
    record.repo.toLowerCase() === input.repo.toLowerCase() &&
    record.access === input.access &&
    record.prefer === input.prefer &&
    // A session never changes tenant: the tenant decides whose installations its App token may come from.
    (record.tenantId ?? null) === (input.tenantId ?? null) &&
    // Nor its git mode or branch policy: a re-prepare must not widen what the sandbox may push.
    (record.sandboxGit ?? "token") === input.sandboxGit &&
    samePolicy(resolveBranchPolicy(record.branchPolicy), resolveBranchPolicy(input.branchPolicy))
  );
}

function newRecord(input: PrepareSessionParams, secretSha256: string, time: string): SessionRecord {
  return {
    sessionId: input.sessionId,
    userId: input.userId,
    tenantId: input.tenantId ?? null,
    owner: input.owner,
    repo: input.repo,
    access: input.access,
    prefer: input.prefer,
    sandboxGit: input.sandboxGit,
    branchPolicy: resolveBranchPolicy(input.branchPolicy),
    state: "preparing",
    identity: null,
    author: null,
    installationId: null,
    tokenExpiresAt: null,
    preparation: { mode: input.mode, attempts: 0 },
    secretSha256,
    secretGeneration: 0,
    lastSeq: 0,
    createdAt: time,
    updatedAt: time,
  };
}

/**
 * Creates the session (or, for the same user and work, issues it a new secret — closing the event sockets
 * opened with the old one — and prepares it again if it had failed) and resolves its identity. An ended
 * session id answers `session_ended`: re-preparing must not resurrect what `endSession` took back. `now` runs one attempt before answering; `background` stores
 * the request (ids only) and sets the alarm, which retries transient failures with backoff. Either way
 * the answer carries the sandbox's session secret, once: only its SHA-256 is stored. `register` enters
 * the session in its user's index: before anything is written, or, for a new session prepared `now`,
 * alongside the token and before its one commit (`prepare-new-session.ts`).
 */
export async function prepareSession(
  deps: SessionDeps,
  input: PrepareSessionParams,
  register: RegisterSession,
): Promise<PrepareSessionResult> {
  const sessionSecret = randomToken(32);
  const secretSha256 = await sha256Hex(sessionSecret);
  const existing = await deps.store.load();
  if (existing === undefined) {
    // An ended id stays ended: preparing it again must not bring the session (or a secret) back.
    const ended = await deps.store.loadEnded();
    if (ended !== undefined) {
      if (ended.userId !== input.userId) return NOT_FOUND;
      return { ok: false, reason: "session_ended", message: "this session was ended; use a new session id" };
    }
    if (input.mode === "now") {
      const draft = newRecord(input, secretSha256, new Date(deps.now()).toISOString());
      const fresh = await prepareNewSession(deps, draft, register, sessionSecret);
      // Someone else wrote the session meanwhile (an end, another prepare): decide again on what is there.
      return fresh === "changed" ? prepareSession(deps, input, register) : fresh;
    }
  }
  // The index entry before anything of the session is written, so `endSessionsForUser` cannot miss it.
  if (!(await register())) return TOO_MANY_SESSIONS;
  if (existing !== undefined && existing.userId !== input.userId) return NOT_FOUND;
  if (existing !== undefined && deps.now() >= sessionExpiresAt(existing, deps.lifetimeMs)) {
    // A new secret must not give an expired session a second life: it is ended instead.
    await endSession(deps, { kind: "user", userId: input.userId }, "expired");
    return { ok: false, reason: "session_expired", message: "this session outlived its lifetime" };
  }
  if (existing !== undefined && !sameWork(existing, input)) {
    return {
      ok: false,
      reason: "session_conflict",
      message:
        "this session id is already used for another repository, access, preference, tenant, git mode or branch policy",
    };
  }
  const time = new Date(deps.now()).toISOString();
  const restart = existing === undefined || existing.state === "failed";
  const background = input.mode === "background";
  const nextAttemptAt = background ? time : undefined;
  const drafts = background
    ? [
        {
          type: "preparation_scheduled" as const,
          level: "info" as const,
          message: "Preparing the session in the background.",
        },
      ]
    : [];

  if (existing === undefined) {
    const created = newRecord(input, secretSha256, time);
    if (nextAttemptAt !== undefined) created.preparation.nextAttemptAt = nextAttemptAt;
    const { record, events } = stampEvents(created, drafts, time);
    await deps.store.save(record, events);
  } else {
    const rotated = await updateRecord(deps, (current) => {
      const secretGeneration = (current.secretGeneration ?? 0) + 1;
      if (!restart || current.state !== "failed")
        return { record: { ...current, secretSha256, secretGeneration } };
      const next: SessionRecord = {
        ...current,
        secretSha256,
        secretGeneration,
        state: "preparing",
        preparation: {
          mode: input.mode,
          attempts: 0,
          ...(nextAttemptAt === undefined ? {} : { nextAttemptAt }),
        },
      };
      delete next.failure;
      return { record: next, events: drafts };
    });
    // The previous secret no longer works: nor may the event sockets opened with it keep listening.
    if (rotated !== undefined) deps.closeSockets(rotated.secretGeneration);
  }

  const current = await deps.store.load();
  if (current === undefined) return { ok: false, reason: "internal_error", message: "the session was lost" };
  if (current.state === "preparing" && background && restart) {
    await deps.scheduleAlarm(deps.now());
  } else if (current.state === "preparing" && !background) {
    const outcome = await attemptShared(deps);
    if (!outcome.ok) {
      const failed = await deps.store.load();
      const marked = await markFailed(deps, outcome, (failed?.preparation.attempts ?? 0) + 1);
      if (marked !== undefined) await deps.scheduleAlarm(nextCheckAt(marked, deps.lifetimeMs));
      return toFailure(outcome);
    }
  }
  const final = await deps.store.load();
  if (final === undefined) return { ok: false, reason: "internal_error", message: "the session was lost" };
  if (final.state !== "preparing") await deps.scheduleAlarm(nextCheckAt(final, deps.lifetimeMs));
  const person = final.identity === null ? null : await personOf(deps, final.userId);
  return { ok: true, session: toSnapshot(final, person, deps.lifetimeMs), sessionSecret };
}
