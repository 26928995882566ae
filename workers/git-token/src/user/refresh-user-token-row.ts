import {
  compareAndSetUserToken,
  type Database,
  type GithubUserTokenRow,
  insertAuditEvent,
  readUserToken,
} from "@gitcred/db";
import { type GitHubEndpoints, refreshUserToken, type UserTokenSet } from "@gitcred/github";
import type { Keyring, Logger } from "@gitcred/utils";
import { DecryptError } from "@gitcred/utils";
import { type OAuthClientConfig, requireOAuth } from "../config.ts";
import { evaluateUserTokenRow } from "./evaluate-user-token-row.ts";
import type { PendingRefresh, RefreshJournal } from "./refresh-journal.ts";
import type { RefreshOutcome } from "./refresh-outcome.ts";
import { replayPendingRefresh, storeRefreshedPair } from "./store-refreshed-pair.ts";
import { userIdentity } from "./user-identity.ts";
import { decryptUserToken, encryptUserToken } from "./user-token-crypto.ts";

export interface RefreshDeps {
  db: Database;
  keyring: Keyring;
  github: GitHubEndpoints;
  oauth: OAuthClientConfig | undefined;
  logger: Logger;
  /** The worker whose call triggered this refresh (audit events). */
  caller: string;
  now(): number;
  waitUntil(promise: Promise<unknown>): void;
  /** Where a refreshed pair is written ahead of Postgres (the refresher's Durable Object storage). */
  journal: RefreshJournal;
}

/** Rounds of "read, decide, write" before giving up on a row that keeps changing. */
const MAX_ROUNDS = 4;

/**
 * The row kept changing under the refresh: a transient answer (a journaled pair is kept for later). Said
 * as `busy`, not `github_unavailable`: GitHub answered fine, and a platform that alerts on GitHub outages
 * must not be told of one.
 */
function contended(): RefreshOutcome {
  return {
    ok: false,
    reason: "busy",
    message: "the connection kept changing during the refresh",
    retryAfterSeconds: 1,
  };
}

function usable(row: GithubUserTokenRow, token: string, apiUrl: string): RefreshOutcome {
  return {
    ok: true,
    token,
    expiresAt: row.accessExpiresAt?.getTime() ?? null,
    connectionId: row.connectionId,
    version: row.version,
    identity: userIdentity(row, apiUrl),
  };
}

/**
 * Marks the row `reconnect_required` if it is still the version we decided on, with one audit event.
 * Returns true when this call marked it; false when the row changed meanwhile (the caller re-reads).
 */
async function markReconnectRequired(
  deps: RefreshDeps,
  row: GithubUserTokenRow,
  why: string,
  forced: boolean,
): Promise<boolean> {
  const written = await compareAndSetUserToken(deps.db, row.userId, row, {
    status: "reconnect_required",
  });
  if (written === undefined) return false;
  await insertAuditEvent(deps.db, {
    event: "refresh_failed",
    userId: row.userId,
    githubUserId: row.githubUserId,
    caller: deps.caller,
    detail: {
      reason: why,
      connectionId: row.connectionId,
      version: written.version,
      // The refresh was forced because GitHub had rejected the stored access token.
      ...(forced ? { trigger: "token_rejected" } : {}),
    },
  });
  deps.logger.warn("user token needs reconnect", { userId: row.userId, reason: why });
  return true;
}

/**
 * Stores a successful refresh: journals the new pair (encrypted) first, then writes it to the row (see
 * `storeRefreshedPair`). If the journal cannot be written the Postgres write is still tried: the pair is
 * lost only if both fail.
 */
async function storeRefreshed(
  deps: RefreshDeps,
  original: GithubUserTokenRow,
  tokens: UserTokenSet,
): Promise<RefreshOutcome | "changed" | "contended"> {
  const { userId, githubUserId } = original;
  const pending: PendingRefresh = {
    userId,
    githubUserId,
    connectionId: original.connectionId,
    fromVersion: original.version,
    accessTokenEnc: await encryptUserToken(
      deps.keyring,
      "access_token_enc",
      userId,
      githubUserId,
      tokens.accessToken,
    ),
    accessExpiresAt: tokens.accessTokenExpiresAt?.getTime() ?? null,
    refreshTokenEnc:
      tokens.refreshToken === null
        ? null
        : await encryptUserToken(
            deps.keyring,
            "refresh_token_enc",
            userId,
            githubUserId,
            tokens.refreshToken,
          ),
    refreshExpiresAt: tokens.refreshTokenExpiresAt?.getTime() ?? null,
  };
  try {
    await deps.journal.write(pending);
  } catch (error) {
    deps.logger.error("could not journal a refreshed token", { userId, error });
  }
  const stored = await storeRefreshedPair(deps, pending);
  if (stored.kind === "stored") return usable(stored.row, tokens.accessToken, deps.github.apiUrl);
  return stored.kind === "orphaned" ? "changed" : "contended";
}

/**
 * The refresh itself, run by the person's UserTokenRefresher (at most one at a time per person; this
 * function is also safe when two run concurrently anyway). Each round re-reads the row first: if someone
 * refreshed already, their token is used and GitHub is not called. Otherwise the single-use refresh token
 * is spent and the new pair written with `WHERE version = <read>`. GitHub's `bad_refresh_token` on a row
 * that has not changed since we read it marks it `reconnect_required` (once, with an audit event); on a
 * changed row, the new row is used. Network errors, 5xx and rate limits leave the row untouched and
 * come back as `github_unavailable` / `rate_limited` with a retry time.
 *
 * `rejectedVersion`: GitHub confirmed that the access token of that row version is dead (grant revoked),
 * so a row still at that version is refreshed although its token has hours left; a row that has moved on
 * (refreshed, reconnected) is answered as usual.
 */
export async function refreshUserTokenRow(
  deps: RefreshDeps,
  userId: string,
  rejectedVersion?: number,
): Promise<RefreshOutcome> {
  if ((await replayPendingRefresh(deps, userId)) === "contended") return contended();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const row = await readUserToken(deps.db, userId);
    const evaluated = await evaluateUserTokenRow(
      row,
      deps.keyring,
      deps.now(),
      deps.logger,
      deps.github.apiUrl,
    );
    const forced =
      rejectedVersion !== undefined &&
      evaluated !== "needs_refresh" &&
      evaluated.ok &&
      row?.version === rejectedVersion;
    if (evaluated !== "needs_refresh" && !forced) return evaluated;
    if (row === undefined) return { ok: false, reason: "not_connected" };
    const refreshExpired = row.refreshExpiresAt !== null && row.refreshExpiresAt.getTime() <= deps.now();
    if (row.refreshTokenEnc === null || refreshExpired) {
      if (
        await markReconnectRequired(
          deps,
          row,
          refreshExpired ? "refresh_token_expired" : "no_refresh_token",
          forced,
        )
      ) {
        return { ok: false, reason: "reconnect_required", message: "the person must reconnect GitHub" };
      }
      continue;
    }
    const oauth = requireOAuth(deps);
    let refreshToken: string;
    try {
      refreshToken = await decryptUserToken(
        deps.keyring,
        "refresh_token_enc",
        row.userId,
        row.githubUserId,
        row.refreshTokenEnc,
      );
    } catch (error) {
      if (!(error instanceof DecryptError)) throw error;
      deps.logger.error("stored refresh token does not decrypt", { userId, code: error.code, error });
      return { ok: false, reason: "reconnect_required", message: "the stored token is unusable" };
    }
    const result = await refreshUserToken(deps.github, { ...oauth, refreshToken });
    if (result.ok) {
      const stored = await storeRefreshed(deps, row, result.tokens);
      if (stored === "contended") return contended();
      if (stored !== "changed") {
        deps.logger.info("user token refreshed", { userId, version: stored.ok ? stored.version : undefined });
        return stored;
      }
      continue;
    }
    if (result.reason === "bad_refresh_token") {
      const current = await readUserToken(deps.db, userId);
      // Someone else changed the row (a refresh won, a reconnect): decide again on what is there now.
      if (
        current === undefined ||
        current.connectionId !== row.connectionId ||
        current.version !== row.version
      )
        continue;
      if (await markReconnectRequired(deps, row, "bad_refresh_token", forced)) {
        return { ok: false, reason: "reconnect_required", message: "the person must reconnect GitHub" };
      }
      continue;
    }
    if (result.reason === "github_unavailable" || result.reason === "rate_limited") {
      deps.logger.warn("user token refresh failed, will retry", { userId, reason: result.reason });
      return {
        ok: false,
        reason: result.reason,
        message: result.message,
        retryAfterSeconds: result.retryAfterSeconds ?? 5,
      };
    }
    deps.logger.error("user token refresh refused", { userId, reason: result.reason, status: result.status });
    return { ok: false, reason: "internal_error", message: `GitHub refused the refresh: ${result.reason}` };
  }
  return contended();
}
