import type { StoreConnectionResult } from "@gitcred/client";
import {
  insertAuditEvent,
  readUserToken,
  type UpsertUserConnectionResult,
  upsertUserConnection,
} from "@gitcred/db";
import { getAuthenticatedUser, revokeGrant, revokeToken, type UserTokenSet } from "@gitcred/github";
import type { ServiceDeps } from "../deps.ts";
import { decryptUserToken, encryptUserToken } from "../user/user-token-crypto.ts";
import { userTokenMemo } from "../user/user-token-memo.ts";

/** Best-effort revocation in the background: a GitHub failure is logged, never blocks the caller. */
function revokeLater(deps: ServiceDeps, kind: "token" | "grant", accessToken: string, why: string): void {
  const oauth = deps.config.oauth;
  if (oauth === undefined) return;
  const revoke = kind === "grant" ? revokeGrant : revokeToken;
  deps.waitUntil(
    revoke(deps.config.github, { ...oauth, accessToken }).then((result) => {
      if (!result.ok) deps.logger.warn(`could not revoke ${kind}`, { why, reason: result.reason });
    }),
  );
}

/**
 * The connection write failed (thrown: the database went away). If it never landed, the token GitHub just
 * issued is stored nowhere and is revoked; if it landed and only the answer was lost (the row carries our
 * fresh `connectionId`), or if the row cannot be read to tell, the token is left alone: a live token
 * nobody holds is better than a stored token we killed.
 */
async function revokeUnlessStored(
  deps: ServiceDeps,
  userId: string,
  connectionId: string,
  accessToken: string,
): Promise<void> {
  const row = await readUserToken(deps.db(), userId).then(
    (found) => ({ found }),
    () => undefined,
  );
  if (row === undefined || row.found?.connectionId === connectionId) return;
  revokeLater(deps, "token", accessToken, "connection not stored");
}

/**
 * Stores a person's new connection from tokens GitHub just issued (web flow, device flow). The GitHub
 * account is whoever GitHub says owns the token (`GET /user`), never what a caller claims. Every connect
 * gets a new `connectionId`, so caches of an earlier connection are never served. An account already
 * connected to another platform user is refused (`account_in_use`) and the new token is revoked. What the
 * new connection replaces is cleaned up at GitHub in the background: the previous token (same account)
 * or the previous account's whole grant (another account). Run it through `deps.connections.store` (one
 * connection change at a time per person): the `GET /user` check then comes after any disconnect that
 * revoked the grant this token belongs to, so a dead token is refused instead of stored.
 */
export async function storeConnectionFromTokens(
  deps: ServiceDeps,
  userId: string,
  tokens: UserTokenSet,
): Promise<StoreConnectionResult> {
  if (!deps.config.userTokensEnabled) {
    revokeLater(deps, "token", tokens.accessToken, "gate off");
    return { ok: false, reason: "disabled", message: "people's own GitHub tokens are turned off" };
  }
  const who = await getAuthenticatedUser(deps.config.github, tokens.accessToken);
  if (!who.ok) {
    if (who.reason === "unauthorized") {
      return { ok: false, reason: "invalid_token", message: "GitHub does not accept this token" };
    }
    // The pair GitHub just issued is stored nowhere and its code is spent: left alone it would stay live
    // (8 h, its refresh token 6 months) in nobody's hands. Revoked here; the person simply connects again.
    revokeLater(deps, "token", tokens.accessToken, "account lookup failed");
    if (who.reason === "rate_limited" || who.reason === "github_unavailable") {
      return {
        ok: false,
        reason: who.reason,
        message: who.message,
        retryAfterSeconds: who.retryAfterSeconds ?? 5,
      };
    }
    return { ok: false, reason: "github_unavailable", message: who.message, retryAfterSeconds: 5 };
  }
  const account = who.account;
  const keyring = await deps.config.keyring;
  const db = deps.db();
  const previous = await readUserToken(db, userId);
  const connectionId = crypto.randomUUID();
  let stored: UpsertUserConnectionResult;
  try {
    stored = await upsertUserConnection(db, {
      userId,
      connectionId,
      githubUserId: account.id,
      githubLogin: account.login,
      githubName: account.name,
      accessTokenEnc: await encryptUserToken(
        keyring,
        "access_token_enc",
        userId,
        account.id,
        tokens.accessToken,
      ),
      accessExpiresAt: tokens.accessTokenExpiresAt,
      refreshTokenEnc:
        tokens.refreshToken === null
          ? null
          : await encryptUserToken(keyring, "refresh_token_enc", userId, account.id, tokens.refreshToken),
      refreshExpiresAt: tokens.refreshTokenExpiresAt,
    });
  } catch (error) {
    await revokeUnlessStored(deps, userId, connectionId, tokens.accessToken);
    throw error;
  }
  userTokenMemo.forget(userId);
  if (!stored.ok) {
    // The grant is shared with the other user's connection: revoke only the token we were handed.
    revokeLater(deps, "token", tokens.accessToken, "account in use");
    await insertAuditEvent(db, {
      event: "connect_refused",
      userId,
      githubUserId: account.id,
      caller: deps.caller,
      detail: { reason: "account_in_use" },
    });
    return {
      ok: false,
      reason: "account_in_use",
      message: "this GitHub account is connected to another user",
    };
  }
  const replaced =
    previous === undefined ? "none" : previous.githubUserId === account.id ? "same_account" : "other_account";
  if (previous !== undefined) {
    const old = await decryptUserToken(
      keyring,
      "access_token_enc",
      previous.userId,
      previous.githubUserId,
      previous.accessTokenEnc,
    ).catch(() => undefined);
    if (old !== undefined && old !== tokens.accessToken) {
      revokeLater(
        deps,
        replaced === "other_account" ? "grant" : "token",
        old,
        "replaced by a new connection",
      );
    }
  }
  await insertAuditEvent(db, {
    event: "connect",
    userId,
    githubUserId: account.id,
    caller: deps.caller,
    detail: {
      connectionId,
      replaced,
      ...(replaced === "other_account" ? { previousGithubUserId: previous?.githubUserId } : {}),
    },
  });
  deps.logger.info("connection stored", { userId, githubUserId: account.id, replaced });
  return {
    ok: true,
    connectionId,
    githubUserId: account.id,
    login: account.login,
    name: account.name,
    replaced,
  };
}
