import type { HandleGrantRevokedResult } from "@gitcred/client";
import { compareAndSetUserToken, insertAuditEvent, readUserTokenByGithubUser } from "@gitcred/db";
import { checkToken } from "@gitcred/github";
import { requireOAuth } from "../config.ts";
import type { ServiceDeps } from "../deps.ts";
import { evaluateUserTokenRow } from "../user/evaluate-user-token-row.ts";
import { userTokenMemo } from "../user/user-token-memo.ts";

/**
 * The person revoked the App at GitHub (`github_app_authorization` `revoked` webhook). Webhooks can
 * arrive late, after the person reconnected, so GitHub is asked first whether the stored token still
 * works (an expiring one goes through the refresher: a revoked grant fails the refresh, which marks the
 * row). Only a connection whose token GitHub rejects is marked `reconnect_required`, with an audit event.
 * Transient trouble comes back as a failure so the webhook is retried.
 */
export async function handleGrantRevoked(
  deps: ServiceDeps,
  githubUserId: number,
): Promise<HandleGrantRevokedResult> {
  const db = deps.db();
  const row = await readUserTokenByGithubUser(db, githubUserId);
  if (row === undefined || row.status !== "active") return { ok: true, affected: false };
  const audit = () =>
    insertAuditEvent(db, {
      event: "grant_revoked",
      userId: row.userId,
      githubUserId,
      caller: deps.caller,
      detail: { connectionId: row.connectionId },
    });
  userTokenMemo.forget(row.userId);
  const evaluated = await evaluateUserTokenRow(
    row,
    await deps.config.keyring,
    deps.now(),
    deps.logger,
    deps.config.github.apiUrl,
  );
  if (evaluated === "needs_refresh") {
    const refreshed = await deps.refreshUserToken(row.userId);
    if (refreshed.ok) return { ok: true, affected: false };
    if (refreshed.reason === "reconnect_required" || refreshed.reason === "not_connected") {
      await audit();
      return { ok: true, affected: true };
    }
    if (refreshed.reason === "internal_error" || refreshed.reason === "database_unavailable")
      return { ...refreshed, reason: refreshed.reason };
    // Transient (GitHub or database trouble): fail, so the webhook is delivered again later.
    return {
      ok: false,
      reason: refreshed.reason,
      ...(refreshed.message === undefined ? {} : { message: refreshed.message }),
      retryAfterSeconds: refreshed.retryAfterSeconds ?? 5,
    };
  }
  if (!evaluated.ok) return { ok: true, affected: false };
  const oauth = requireOAuth(deps.config);
  const check = await checkToken(deps.config.github, { ...oauth, accessToken: evaluated.token });
  if (check.ok) {
    deps.logger.info("grant revocation does not concern the current connection", { userId: row.userId });
    return { ok: true, affected: false };
  }
  if (check.reason === "not_found" || check.reason === "validation_failed") {
    const marked = await compareAndSetUserToken(db, row.userId, row, {
      status: "reconnect_required",
    });
    if (marked !== undefined) await audit();
    deps.logger.info("grant revoked at GitHub", { userId: row.userId, marked: marked !== undefined });
    return { ok: true, affected: marked !== undefined };
  }
  if (check.reason === "rate_limited" || check.reason === "github_unavailable") {
    return {
      ok: false,
      reason: check.reason,
      message: check.message,
      retryAfterSeconds: check.retryAfterSeconds ?? 5,
    };
  }
  deps.logger.error("GitHub refused the token check", { reason: check.reason });
  return { ok: false, reason: "internal_error", message: `GitHub refused the token check: ${check.reason}` };
}
