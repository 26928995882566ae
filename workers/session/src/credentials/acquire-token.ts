import type { SessionFallbackReason, TokenForRepo } from "@gitcred/client";
import { sha256Hex } from "@gitcred/utils";
import { updateRecord } from "../record/update-record.ts";
import type { AcquireOutcome, HeldToken, SessionDeps, SessionRecord } from "../types.ts";
import { awaitsPerson } from "./awaits-person.ts";
import { callGitToken } from "./call-git-token.ts";
import { isUserTokenGone } from "./classify-failure.ts";
import { downgradeSession } from "./downgrade-session.ts";
import { restorePerson } from "./restore-person.ts";

/** A token GitHub refused; `sha256` undefined when the caller could not say which one it was. */
export interface Suspect {
  sha256?: string | undefined;
}

function failure(result: { reason: string; message?: string; retryAfterSeconds?: number }): AcquireOutcome {
  const out: AcquireOutcome = { ok: false, reason: result.reason };
  if (result.message !== undefined) out.message = result.message;
  if (result.retryAfterSeconds !== undefined) out.retryAfterSeconds = result.retryAfterSeconds;
  return out;
}

/** Keeps `held` in memory and records its expiry (and a `token_refreshed` event when it replaced another). */
async function hold(deps: SessionDeps, held: HeldToken, replaced: boolean): Promise<AcquireOutcome> {
  const expiresAt = held.expiresAt === null ? null : new Date(held.expiresAt).toISOString();
  const record = await updateRecord(deps, (current) => {
    if (current.tokenExpiresAt === expiresAt && !replaced) return undefined;
    return {
      record: { ...current, tokenExpiresAt: expiresAt },
      events: replaced
        ? [
            {
              type: "token_refreshed",
              level: "info",
              identity: held.identity,
              expiresAt,
              message: `Fetched a new ${held.identity === "user" ? "person's" : "App"} token${expiresAt === null ? "" : ` (valid until ${expiresAt})`}.`,
            },
          ]
        : [],
    };
  });
  if (record === undefined) return { ok: false, reason: "not_found", message: "no such session" };
  deps.memory.held = held;
  return { ok: true, held, record };
}

/**
 * Fetches the token the session should use now, from git-token (which caches, refreshes and re-mints).
 * A person's session asks for the person's token; when git-token says it is gone for good (reconnect
 * required, disconnected, gate off) or GitHub calls a refused token a bad credential, the session
 * downgrades to the App's token once. A refusal is passed on as the refused token's hash, so git-token
 * checks it at GitHub and marks a dead one for every caller. Only if git-token still hands out that very
 * token (it found it alive, is older than the hint, or was not told which token) does the session ask
 * GitHub itself: a transient answer never downgrades. Called only through `acquireShared`.
 */
export async function acquireToken(deps: SessionDeps, suspect?: Suspect): Promise<AcquireOutcome> {
  const record = await deps.store.load();
  if (record === undefined || record.state !== "ready") {
    return { ok: false, reason: "not_found", message: "no such session" };
  }
  if (suspect !== undefined) {
    await updateRecord(deps, (current) => ({
      record: current,
      events: [
        {
          type: "credential_rejected",
          level: "warning",
          ...(current.identity === null ? {} : { identity: current.identity }),
          message: "GitHub refused the session's token; getting another.",
        },
      ],
    }));
  }
  const previous = deps.memory.held?.sha256;
  const replaced = (sha256: string) =>
    (previous !== undefined && previous !== sha256) || suspect !== undefined;

  // A session on the App only until the person authorizes SAML SSO asks for the person's token each time.
  const waiting = awaitsPerson(record);
  if (record.identity === "user" || waiting) {
    // A refused token of a waiting session is the App's: nothing to tell git-token about the person's.
    const hint = waiting ? undefined : suspect?.sha256;
    const result = await callGitToken(deps, record, "user", hint);
    if (!result.ok) return failure(result);
    if (result.source === "user") {
      const sha256 = await sha256Hex(result.token);
      if (!waiting && suspect !== undefined && (hint === undefined || hint === sha256)) {
        const check = await deps.verifier.check(result.token, record.owner, record.repo, record.access);
        if (check.kind === "no_access") {
          return {
            ok: false,
            reason: "no_repo_access",
            message: "the person can no longer use the repository",
          };
        }
        if (check.kind === "transient") return failure(check);
        if (check.kind === "revoked") return confirmRevoked(deps, record, sha256, hint);
        deps.log.warn("GitHub accepts the person's token that was refused: handing it out again");
      }
      const expiresAt = result.expiresAt === null ? null : Date.parse(result.expiresAt);
      const author = { name: result.identity.name, email: result.identity.email };
      // The person's identity comes with each hand-out and stays in memory only (never in the record).
      deps.memory.person = { author, at: deps.now() };
      const held: HeldToken = { token: result.token, sha256, expiresAt, identity: "user", author };
      if (waiting) return restorePerson(deps, held);
      return hold(deps, held, replaced(sha256));
    }
    if (!isUserTokenGone(result.fallbackReason)) {
      deps.log.error("git-token answered the App's token without a fallback reason");
      return { ok: false, reason: "internal_error", message: "unexpected answer from git-token" };
    }
    // After a refusal, git-token's "reconnect required" is GitHub calling the person's token dead.
    const reason =
      suspect !== undefined && result.fallbackReason === "reconnect_required"
        ? "token_revoked"
        : result.fallbackReason;
    return downgradeTo(deps, result, reason);
  }

  const result = await callGitToken(deps, record, "app");
  if (!result.ok) return failure(result);
  if (result.source !== "app") return { ok: false, reason: "internal_error", message: "unexpected answer" };
  const sha256 = await sha256Hex(result.token);
  if (suspect?.sha256 === sha256) deps.log.warn("git-token handed out the App token that was just refused");
  const author = { name: result.identity.name, email: result.identity.email };
  return hold(
    deps,
    { token: result.token, sha256, expiresAt: Date.parse(result.expiresAt), identity: "app", author },
    replaced(sha256),
  );
}

/**
 * GitHub called the person's token (`sha256`) a bad credential. If git-token was not told about this very
 * token, it is now, so its row is marked for every caller and its answer (the App's token) is used;
 * otherwise (or if git-token still disagrees) the App's token is asked for directly.
 */
async function confirmRevoked(
  deps: SessionDeps,
  record: SessionRecord,
  sha256: string,
  hint: string | undefined,
): Promise<AcquireOutcome> {
  if (hint !== sha256) {
    const told = await callGitToken(deps, record, "user", sha256);
    if (told.ok && told.source === "app" && isUserTokenGone(told.fallbackReason))
      return downgradeTo(deps, told, "token_revoked");
  }
  const result = await callGitToken(deps, record, "app");
  if (!result.ok) return failure(result);
  if (result.source !== "app") return { ok: false, reason: "internal_error", message: "unexpected answer" };
  return downgradeTo(deps, result, "token_revoked");
}

/** The App's token from now on: one `downgraded` event says what happened, no `token_refreshed` on top. */
async function downgradeTo(
  deps: SessionDeps,
  app: Extract<TokenForRepo, { source: "app" }>,
  reason: SessionFallbackReason,
): Promise<AcquireOutcome> {
  await downgradeSession(deps, reason, app.identity, app.installationId);
  const sha256 = await sha256Hex(app.token);
  const held: HeldToken = {
    token: app.token,
    sha256,
    expiresAt: Date.parse(app.expiresAt),
    identity: "app",
    author: { name: app.identity.name, email: app.identity.email },
  };
  return hold(deps, held, false);
}
