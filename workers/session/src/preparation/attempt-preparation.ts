import type { GitAuthor, SessionFallbackReason } from "@gitcred/client";
import { sha256Hex, shareInFlight } from "@gitcred/utils";
import { callGitToken, UNREACHABLE_RETRY_SECONDS } from "../credentials/call-git-token.ts";
import { isTransientFailure, isUserTokenGone } from "../credentials/classify-failure.ts";
import { updateRecord } from "../record/update-record.ts";
import type { AttemptOutcome, HeldToken, SessionDeps, SessionRecord } from "../types.ts";

/**
 * One attempt to prepare the session, the same for `now` and the background alarm: ask git-token for the
 * repository's token with the session's preference, so the identity is the person's when their token is
 * enabled and works, else the App's bot (with the reason). The token stays in memory; the record gets the
 * identity, the author and `ready`. Failures are returned, classified transient or not; the caller decides
 * between retrying and `failed`.
 */
export async function attemptPreparation(deps: SessionDeps): Promise<AttemptOutcome> {
  const record = await deps.store.load();
  if (record === undefined) return { ok: false, transient: false, reason: "not_found" };
  if (record.state === "ready") return { ok: true, record };
  const result = await callGitToken(deps, record, record.prefer);
  if (!result.ok) {
    const out: AttemptOutcome = { ok: false, transient: isTransientFailure(result), reason: result.reason };
    if (result.message !== undefined) out.message = result.message;
    if (result.retryAfterSeconds !== undefined) out.retryAfterSeconds = result.retryAfterSeconds;
    return out;
  }
  let fallbackReason: SessionFallbackReason | undefined;
  let held: HeldToken;
  const sha256 = await sha256Hex(result.token);
  const author: GitAuthor = { name: result.identity.name, email: result.identity.email };
  if (result.source === "user") {
    const expiresAt = result.expiresAt === null ? null : Date.parse(result.expiresAt);
    held = { token: result.token, sha256, expiresAt, identity: "user", author };
    // The person's identity, in memory only: the record never holds their name or e-mail.
    deps.memory.person = { author, at: deps.now() };
  } else {
    fallbackReason = isUserTokenGone(result.fallbackReason) ? result.fallbackReason : undefined;
    held = { token: result.token, sha256, expiresAt: Date.parse(result.expiresAt), identity: "app", author };
  }
  const installationId = result.source === "app" ? result.installationId : null;
  const tokenExpiresAt = held.expiresAt === null ? null : new Date(held.expiresAt).toISOString();

  const updated = await updateRecord(deps, (current) => {
    if (current.state !== "preparing") return undefined;
    const next: SessionRecord = {
      ...current,
      state: "ready",
      identity: held.identity,
      // The bot's identity is stored; the person's is not (data minimisation, #13 §6).
      author: held.identity === "app" ? author : null,
      installationId,
      tokenExpiresAt,
      preparation: { mode: current.preparation.mode, attempts: current.preparation.attempts + 1 },
    };
    delete next.failure;
    if (fallbackReason === undefined) delete next.fallbackReason;
    else next.fallbackReason = fallbackReason;
    const why = fallbackReason === undefined ? "" : ` (the person's token is unavailable: ${fallbackReason})`;
    const as = held.identity === "app" ? author.name : "the person, with their own GitHub identity";
    return {
      record: next,
      events: [
        {
          type: "prepared",
          level: fallbackReason === undefined ? "info" : "warning",
          identity: held.identity,
          ...(held.identity === "app" ? { author } : {}),
          ...(fallbackReason === undefined ? {} : { reason: fallbackReason }),
          message: `Prepared: commits and pushes as ${as}${why}.`,
        },
      ],
    };
  });
  if (updated === undefined) return { ok: false, transient: false, reason: "not_found" };
  if (updated.state !== "ready") return { ok: false, transient: false, reason: "session_failed" };
  if (updated.identity === held.identity) deps.memory.held = held;
  deps.log.info("session prepared", { identity: updated.identity, fallbackReason });
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
