import type { GitAuthor, SessionFallbackReason } from "@gitcred/client";
import { noreplyEmail } from "@gitcred/github";
import { sha256Hex, shareInFlight } from "@gitcred/utils";
import { callGitToken, UNREACHABLE_RETRY_SECONDS } from "../credentials/call-git-token.ts";
import { isTransientFailure, isUserTokenGone } from "../credentials/classify-failure.ts";
import { updateRecord } from "../record/update-record.ts";
import type { AttemptOutcome, HeldToken, SessionDeps, SessionRecord } from "../types.ts";

/** The person's GitHub identity from their (unusable) connection, for the co-author trailer. */
async function personOf(deps: SessionDeps, userId: string): Promise<GitAuthor | null> {
  try {
    const connection = await deps.gitToken.getConnection({ userId });
    if (!connection.ok || !connection.connected) return null;
    return {
      name: connection.name ?? connection.login,
      email: noreplyEmail(connection.githubUserId, connection.login),
    };
  } catch (error) {
    deps.log.warn("could not read the person's connection", { error });
    return null;
  }
}

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
  let person: GitAuthor | null;
  let fallbackReason: SessionFallbackReason | undefined;
  let held: HeldToken;
  const sha256 = await sha256Hex(result.token);
  if (result.source === "user") {
    person = { name: result.identity.name, email: result.identity.email };
    const expiresAt = result.expiresAt === null ? null : Date.parse(result.expiresAt);
    held = { token: result.token, sha256, expiresAt, identity: "user" };
  } else {
    fallbackReason = isUserTokenGone(result.fallbackReason) ? result.fallbackReason : undefined;
    // A person who must reconnect is still known to GitHub: name them as co-author of the bot's commits.
    person = fallbackReason === "reconnect_required" ? await personOf(deps, record.userId) : null;
    held = { token: result.token, sha256, expiresAt: Date.parse(result.expiresAt), identity: "app" };
  }
  const author: GitAuthor = { name: result.identity.name, email: result.identity.email };
  const installationId = result.source === "app" ? result.installationId : null;
  const tokenExpiresAt = held.expiresAt === null ? null : new Date(held.expiresAt).toISOString();

  const updated = await updateRecord(deps, (current) => {
    if (current.state !== "preparing") return undefined;
    const next: SessionRecord = {
      ...current,
      state: "ready",
      identity: held.identity,
      author,
      person,
      installationId,
      tokenExpiresAt,
      preparation: { mode: current.preparation.mode, attempts: current.preparation.attempts + 1 },
    };
    delete next.failure;
    if (fallbackReason === undefined) delete next.fallbackReason;
    else next.fallbackReason = fallbackReason;
    const why = fallbackReason === undefined ? "" : ` (the person's token is unavailable: ${fallbackReason})`;
    return {
      record: next,
      events: [
        {
          type: "prepared",
          level: fallbackReason === undefined ? "info" : "warning",
          identity: held.identity,
          author,
          ...(fallbackReason === undefined ? {} : { reason: fallbackReason }),
          message: `Prepared: commits and pushes as ${author.name}${why}.`,
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
