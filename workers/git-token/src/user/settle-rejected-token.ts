import { compareAndSetUserToken, insertAuditEvent, readUserToken } from "@gitcred/db";
import { checkToken } from "@gitcred/github";
import { requireOAuth } from "../config.ts";
import type { ServiceDeps } from "../deps.ts";
import { SingleFlight } from "../single-flight.ts";
import type { RefreshOutcome, UsableUserToken } from "./refresh-outcome.ts";
import { userTokenMemo } from "./user-token-memo.ts";

/** What GitHub says about a stored token that a git server refused. */
type Verdict = "alive" | "dead" | Exclude<RefreshOutcome, { ok: true }>;

const settling = new SingleFlight<RefreshOutcome>();

/**
 * A caller reports that GitHub refused the person's token, and it is the one stored (row `stored.version`).
 * Without this, git-token would hand the dead token out until it nears expiry (up to 8 h). GitHub is asked
 * first (`checkToken`, the App's Basic auth: costs nothing of the person's rate limit), because a refusal
 * may be about something else (a repository, a flaky git server):
 * - alive: the same token is answered, nothing is written;
 * - dead: one refresh through the refresher, forced for this version (a rotated pair may still work); if
 *   the grant is gone the refresher marks the row. Whatever it answers terminally, the row is made sure
 *   to be `reconnect_required` (versioned write, `token_rejected` audit event only if this call wrote it);
 * - GitHub unreachable or rate limited: that, with a retry time; the row is never marked on a guess.
 * A burst of reports for one token in this isolate asks GitHub once.
 */
export function settleRejectedToken(
  deps: ServiceDeps,
  userId: string,
  stored: UsableUserToken,
): Promise<RefreshOutcome> {
  userTokenMemo.forget(userId);
  // The connection too: a row deleted and connected anew starts its versions again.
  return settling.run(`${userId}:${stored.connectionId}:${stored.version}`, () =>
    settle(deps, userId, stored),
  );
}

async function settle(deps: ServiceDeps, userId: string, stored: UsableUserToken): Promise<RefreshOutcome> {
  const verdict = await askGitHub(deps, stored.token);
  if (verdict === "alive") {
    deps.logger.info("a refused token is still valid at GitHub", { userId });
    return { ok: true, ...stored };
  }
  if (verdict !== "dead") return verdict;
  const refreshed = await deps.refreshUserToken(userId, { rejectedVersion: stored.version });
  if (refreshed.ok && refreshed.version !== stored.version) {
    deps.logger.info("a rejected token was replaced by a refresh", { userId, version: refreshed.version });
    return refreshed;
  }
  if (!refreshed.ok && refreshed.reason === "not_connected") return refreshed;
  if (refreshed.ok || refreshed.reason === "reconnect_required") {
    await markRejected(deps, userId, stored);
    return { ok: false, reason: "reconnect_required", message: "the person must reconnect GitHub" };
  }
  return refreshed;
}

/** `checkToken` read as a verdict: 404 (or 422) means revoked, expired or unknown to GitHub. */
async function askGitHub(deps: ServiceDeps, token: string): Promise<Verdict> {
  const oauth = requireOAuth(deps.config);
  const check = await checkToken(deps.config.github, { ...oauth, accessToken: token });
  if (check.ok) return "alive";
  if (check.reason === "not_found" || check.reason === "validation_failed") return "dead";
  if (check.reason === "rate_limited" || check.reason === "github_unavailable") {
    return {
      ok: false,
      reason: check.reason,
      message: check.message,
      retryAfterSeconds: check.retryAfterSeconds ?? 5,
    };
  }
  deps.logger.error("GitHub refused the token check", { reason: check.reason, status: check.status });
  return { ok: false, reason: "internal_error", message: `GitHub refused the token check: ${check.reason}` };
}

/**
 * Marks the row if it is still the connection and version whose token GitHub rejected (the refresher
 * usually did it already, with its own audit event: then this writes nothing). The connection is checked
 * too because a row deleted and connected anew starts its versions again. One audit event per marking.
 */
async function markRejected(deps: ServiceDeps, userId: string, stored: UsableUserToken): Promise<void> {
  const db = deps.db();
  const current = await readUserToken(db, userId);
  if (current?.connectionId !== stored.connectionId || current.version !== stored.version) return;
  const written = await compareAndSetUserToken(db, userId, stored, { status: "reconnect_required" });
  if (written === undefined) return;
  await insertAuditEvent(db, {
    event: "token_rejected",
    userId,
    githubUserId: stored.identity.githubUserId,
    caller: deps.caller,
    detail: { connectionId: stored.connectionId, version: written.version },
  });
  deps.logger.warn("user token needs reconnect", { userId, reason: "token_rejected" });
}
