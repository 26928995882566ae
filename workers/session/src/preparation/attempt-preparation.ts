import type { GetTokenForRepoResult, GitAuthor, SessionFallbackReason } from "@gitcred/client";
import { sha256Hex, shareInFlight } from "@gitcred/utils";
import { callGitToken, UNREACHABLE_RETRY_SECONDS } from "../credentials/call-git-token.ts";
import { isTransientFailure, isUserTokenGone } from "../credentials/classify-failure.ts";
import { type RecordChange, updateRecord } from "../record/update-record.ts";
import type { AttemptOutcome, HeldToken, SessionDeps, SessionRecord } from "../types.ts";

/** What a successful `getTokenForRepo` gives a preparation: the token to hold and the facts to record. */
export interface PreparedToken {
  held: HeldToken;
  fallbackReason: SessionFallbackReason | undefined;
  installationId: number | null;
}

/** A failed `getTokenForRepo` as an attempt's outcome, classified transient or not. */
export function failedAttempt(
  result: Extract<GetTokenForRepoResult, { ok: false }>,
): Extract<AttemptOutcome, { ok: false }> {
  const out: Extract<AttemptOutcome, { ok: false }> = {
    ok: false,
    transient: isTransientFailure(result),
    reason: result.reason,
  };
  if (result.message !== undefined) out.message = result.message;
  if (result.retryAfterSeconds !== undefined) out.retryAfterSeconds = result.retryAfterSeconds;
  return out;
}

/**
 * The token git-token answered, as the session holds it. The person's identity goes to memory only: the
 * record never holds their name or e-mail.
 */
export async function preparedToken(
  deps: SessionDeps,
  result: Extract<GetTokenForRepoResult, { ok: true }>,
): Promise<PreparedToken> {
  const sha256 = await sha256Hex(result.token);
  const author: GitAuthor = { name: result.identity.name, email: result.identity.email };
  if (result.source === "user") {
    const expiresAt = result.expiresAt === null ? null : Date.parse(result.expiresAt);
    deps.memory.person = { author, at: deps.now() };
    return {
      held: { token: result.token, sha256, expiresAt, identity: "user", author },
      fallbackReason: undefined,
      installationId: null,
    };
  }
  return {
    held: { token: result.token, sha256, expiresAt: Date.parse(result.expiresAt), identity: "app", author },
    fallbackReason: isUserTokenGone(result.fallbackReason) ? result.fallbackReason : undefined,
    installationId: result.installationId,
  };
}

/** The record change that makes a `preparing` session `ready` with `prepared`, and its `prepared` event. */
export function readyChange(current: SessionRecord, prepared: PreparedToken): RecordChange | undefined {
  if (current.state !== "preparing") return undefined;
  const { held, fallbackReason, installationId } = prepared;
  const next: SessionRecord = {
    ...current,
    state: "ready",
    identity: held.identity,
    // The bot's identity is stored; the person's is not (data minimisation, #13 §6).
    author: held.identity === "app" ? held.author : null,
    installationId,
    tokenExpiresAt: held.expiresAt === null ? null : new Date(held.expiresAt).toISOString(),
    preparation: { mode: current.preparation.mode, attempts: current.preparation.attempts + 1 },
  };
  delete next.failure;
  if (fallbackReason === undefined) delete next.fallbackReason;
  else next.fallbackReason = fallbackReason;
  const why = fallbackReason === undefined ? "" : ` (the person's token is unavailable: ${fallbackReason})`;
  const as = held.identity === "app" ? held.author.name : "the person, with their own GitHub identity";
  return {
    record: next,
    events: [
      {
        type: "prepared",
        level: fallbackReason === undefined ? "info" : "warning",
        identity: held.identity,
        ...(held.identity === "app" ? { author: held.author } : {}),
        ...(fallbackReason === undefined ? {} : { reason: fallbackReason }),
        message: `Prepared: commits and pushes as ${as}${why}.`,
      },
    ],
  };
}

/**
 * One attempt to prepare a stored session, the same for a re-prepare and the background alarm: ask
 * git-token for the repository's token with the session's preference, so the identity is the person's
 * when their token is enabled and works, else the App's bot (with the reason). The token stays in
 * memory; the record gets the identity, the author and `ready`. Failures are returned, classified
 * transient or not; the caller decides between retrying and `failed`. (A new session prepared `now`
 * takes the shorter way of `prepare-new-session.ts`: one commit.)
 */
export async function attemptPreparation(deps: SessionDeps): Promise<AttemptOutcome> {
  const record = await deps.store.load();
  if (record === undefined) return { ok: false, transient: false, reason: "not_found" };
  if (record.state === "ready") return { ok: true, record };
  const result = await callGitToken(deps, record, record.prefer);
  if (!result.ok) return failedAttempt(result);
  const prepared = await preparedToken(deps, result);
  const updated = await updateRecord(deps, (current) => readyChange(current, prepared));
  if (updated === undefined) return { ok: false, transient: false, reason: "not_found" };
  if (updated.state !== "ready") return { ok: false, transient: false, reason: "session_failed" };
  if (updated.identity === prepared.held.identity) deps.memory.held = prepared.held;
  deps.log.info("session prepared", { identity: updated.identity, fallbackReason: prepared.fallbackReason });
  return { ok: true, record: updated };
}

/** The preparation attempt in flight, shared by the alarm and a concurrent `prepareSession(now)`. */
export function attemptShared(deps: SessionDeps): Promise<AttemptOutcome> {
  return shareInFlight(deps.memory, "preparing", () =>
    attemptPreparation(deps).catch((error: unknown): AttemptOutcome => {
      deps.log.error("preparing the session failed", { error });
      return {
        ok: false,
        transient: true,
        reason: "internal_error",
        retryAfterSeconds: UNREACHABLE_RETRY_SECONDS,
      };
    }),
  );
}
