import type { PrepareSessionResult } from "@gitcred/client";
import { randomToken, sha256Hex } from "@gitcred/utils";
import { toFailure } from "../credentials/to-credentials.ts";
import { NOT_FOUND } from "../record/authorize-caller.ts";
import { idleCheckAt } from "../record/expire-idle-session.ts";
import { toSnapshot } from "../record/to-snapshot.ts";
import { stampEvents, updateRecord } from "../record/update-record.ts";
import type { PrepareSessionParams } from "../schemas.ts";
import type { SessionDeps, SessionRecord } from "../types.ts";
import { attemptShared } from "./attempt-preparation.ts";
import { markFailed } from "./mark-failed.ts";

function sameWork(record: SessionRecord, input: PrepareSessionParams): boolean {
  // GitHub names are case-insensitive: `Octo/Repo` and `octo/repo` are the same repository.
  return (
    record.owner.toLowerCase() === input.owner.toLowerCase() &&
    record.repo.toLowerCase() === input.repo.toLowerCase() &&
    record.access === input.access &&
    record.prefer === input.prefer &&
    // A session never changes tenant: the tenant decides whose installations its App token may come from.
    (record.tenantId ?? null) === (input.tenantId ?? null)
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
    state: "preparing",
    identity: null,
    author: null,
    person: null,
    installationId: null,
    tokenExpiresAt: null,
    preparation: { mode: input.mode, attempts: 0 },
    secretSha256,
    lastSeq: 0,
    createdAt: time,
    updatedAt: time,
  };
}

/**
 * Creates the session (or, for the same user and work, issues it a new secret and prepares it again if it
 * had failed) and resolves its identity. `now` runs one attempt before answering; `background` stores
 * the request (ids only) and sets the alarm, which retries transient failures with backoff. Either way
 * the answer carries the sandbox's session secret, once: only its SHA-256 is stored.
 */
export async function prepareSession(
  deps: SessionDeps,
  input: PrepareSessionParams,
): Promise<PrepareSessionResult> {
  const sessionSecret = randomToken(32);
  const secretSha256 = await sha256Hex(sessionSecret);
  const existing = await deps.store.load();
  if (existing !== undefined && existing.userId !== input.userId) return NOT_FOUND;
  if (existing !== undefined && !sameWork(existing, input)) {
    return {
      ok: false,
      reason: "session_conflict",
      message: "this session id is already used for another repository, access, preference or tenant",
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
    await updateRecord(deps, (current) => {
      if (!restart || current.state !== "failed") return { record: { ...current, secretSha256 } };
      const next: SessionRecord = {
        ...current,
        secretSha256,
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
      if (marked !== undefined) await deps.scheduleAlarm(idleCheckAt(marked.updatedAt));
      return toFailure(outcome);
    }
  }
  const final = await deps.store.load();
  if (final === undefined) return { ok: false, reason: "internal_error", message: "the session was lost" };
  if (final.state !== "preparing") await deps.scheduleAlarm(idleCheckAt(final.updatedAt));
  return { ok: true, session: toSnapshot(final), sessionSecret };
}
