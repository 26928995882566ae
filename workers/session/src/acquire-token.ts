import type { GetTokenForRepoResult } from "@gitcred/client";
import { sha256Hex } from "@gitcred/utils";
import { isUserTokenGone } from "./classify-failure.ts";
import { downgradeSession } from "./downgrade-session.ts";
import type { AcquireOutcome, HeldToken, SessionDeps, SessionRecord } from "./types.ts";
import { updateRecord } from "./update-record.ts";

/** A token GitHub refused; `sha256` undefined when the caller could not say which one it was. */
export interface Suspect {
  sha256?: string;
}

/** When git-token cannot be reached at all, ask again after this long. */
const UNREACHABLE_RETRY_SECONDS = 5;

function failure(result: { reason: string; message?: string; retryAfterSeconds?: number }): AcquireOutcome {
  const out: AcquireOutcome = { ok: false, reason: result.reason };
  if (result.message !== undefined) out.message = result.message;
  if (result.retryAfterSeconds !== undefined) out.retryAfterSeconds = result.retryAfterSeconds;
  return out;
}

async function callGitToken(
  deps: SessionDeps,
  record: SessionRecord,
  prefer: "user" | "app",
): Promise<GetTokenForRepoResult> {
  const { userId, owner, repo, access } = record;
  try {
    return await deps.gitToken.getTokenForRepo({ userId, owner, repo, access, prefer });
  } catch (error) {
    deps.log.error("git-token could not be called", { error });
    return {
      ok: false,
      reason: "internal_error",
      message: "git-token could not be reached",
      retryAfterSeconds: UNREACHABLE_RETRY_SECONDS,
    };
  }
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
 * downgrades to the App's token once. A refused token that git-token hands out again is checked at
 * GitHub first: a transient answer never downgrades. Called only through `acquireShared`.
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

  if (record.identity === "user") {
    const result = await callGitToken(deps, record, "user");
    if (!result.ok) return failure(result);
    if (result.source === "user") {
      const sha256 = await sha256Hex(result.token);
      if (suspect !== undefined && (suspect.sha256 === undefined || suspect.sha256 === sha256)) {
        const check = await deps.verifier.check(result.token, record.owner, record.repo, record.access);
        if (check.kind === "no_access") {
          return {
            ok: false,
            reason: "no_repo_access",
            message: "the person can no longer use the repository",
          };
        }
        if (check.kind === "transient") return failure(check);
        if (check.kind === "revoked") return switchToApp(deps, record);
        deps.log.warn("GitHub accepts the person's token that was refused: handing it out again");
      }
      const expiresAt = result.expiresAt === null ? null : Date.parse(result.expiresAt);
      return hold(deps, { token: result.token, sha256, expiresAt, identity: "user" }, replaced(sha256));
    }
    if (!isUserTokenGone(result.fallbackReason)) {
      deps.log.error("git-token answered the App's token without a fallback reason");
      return { ok: false, reason: "internal_error", message: "unexpected answer from git-token" };
    }
    await downgradeSession(deps, result.fallbackReason, result.identity, result.installationId);
    const sha256 = await sha256Hex(result.token);
    // The `downgraded` event says what happened; no `token_refreshed` on top of it.
    return hold(
      deps,
      { token: result.token, sha256, expiresAt: Date.parse(result.expiresAt), identity: "app" },
      false,
    );
  }

  const result = await callGitToken(deps, record, "app");
  if (!result.ok) return failure(result);
  if (result.source !== "app") return { ok: false, reason: "internal_error", message: "unexpected answer" };
  const sha256 = await sha256Hex(result.token);
  if (suspect?.sha256 === sha256) deps.log.warn("git-token handed out the App token that was just refused");
  return hold(
    deps,
    { token: result.token, sha256, expiresAt: Date.parse(result.expiresAt), identity: "app" },
    replaced(sha256),
  );
}

/** GitHub called the person's token a bad credential: the App's token from now on. */
async function switchToApp(deps: SessionDeps, record: SessionRecord): Promise<AcquireOutcome> {
  const result = await callGitToken(deps, record, "app");
  if (!result.ok) return failure(result);
  if (result.source !== "app") return { ok: false, reason: "internal_error", message: "unexpected answer" };
  await downgradeSession(deps, "token_revoked", result.identity, result.installationId);
  const sha256 = await sha256Hex(result.token);
  const held: HeldToken = {
    token: result.token,
    sha256,
    expiresAt: Date.parse(result.expiresAt),
    identity: "app",
  };
  return hold(deps, held, false);
}
