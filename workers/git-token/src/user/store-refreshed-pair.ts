import { compareAndSetUserToken, type Database, type GithubUserTokenRow, readUserToken } from "@gitcred/db";
import { type GitHubEndpoints, revokeToken } from "@gitcred/github";
import { DecryptError, type Keyring, type Logger, reencryptSecret } from "@gitcred/utils";
import type { OAuthClientConfig } from "../config.ts";
import type { PendingRefresh, RefreshJournal } from "./refresh-journal.ts";
import { decryptUserToken, type UserTokenColumn, userTokenAad } from "./user-token-crypto.ts";

/** What storing a refreshed pair needs. */
export interface StorePairDeps {
  db: Database;
  keyring: Keyring;
  github: GitHubEndpoints;
  oauth: OAuthClientConfig | undefined;
  logger: Logger;
  journal: RefreshJournal;
  waitUntil(promise: Promise<unknown>): void;
}

/**
 * `stored`: the row now holds the pair. `orphaned`: the pair's connection is gone or replaced, so it was
 * revoked at GitHub. `contended`: the row kept changing under us; the pair stays journaled for the next
 * call.
 */
export type StorePairResult =
  | { kind: "stored"; row: GithubUserTokenRow }
  | { kind: "orphaned" | "contended" };

/** Rounds of "write, re-read" before leaving a row that keeps changing to the next call. */
const MAX_ROUNDS = 4;

function patchOf(pending: PendingRefresh) {
  return {
    accessTokenEnc: pending.accessTokenEnc,
    accessExpiresAt: pending.accessExpiresAt === null ? null : new Date(pending.accessExpiresAt),
    refreshTokenEnc: pending.refreshTokenEnc,
    refreshExpiresAt: pending.refreshExpiresAt === null ? null : new Date(pending.refreshExpiresAt),
    status: "active" as const,
  };
}

/** Revokes a pair nobody will store, in the background: a live token must not outlive its connection. */
async function revokeOrphan(deps: StorePairDeps, pending: PendingRefresh): Promise<void> {
  const oauth = deps.oauth;
  if (oauth === undefined) return;
  const accessToken = await decryptUserToken(
    deps.keyring,
    "access_token_enc",
    pending.userId,
    pending.githubUserId,
    pending.accessTokenEnc,
  ).catch(() => undefined);
  if (accessToken === undefined) return;
  deps.waitUntil(
    revokeToken(deps.github, { ...oauth, accessToken }).then((result) => {
      if (!result.ok) deps.logger.warn("could not revoke an orphaned token", { reason: result.reason });
    }),
  );
}

/**
 * Whether the row already holds the pair's access token (the write landed, its answer was lost).
 * Compared as plaintext: the same token may be under another key after a rotation.
 */
async function holdsSameAccessToken(
  keyring: Keyring,
  row: GithubUserTokenRow,
  pending: PendingRefresh,
): Promise<boolean> {
  if (row.accessTokenEnc === pending.accessTokenEnc) return true;
  const open = (envelope: string) =>
    decryptUserToken(keyring, "access_token_enc", pending.userId, pending.githubUserId, envelope).catch(
      () => undefined,
    );
  const [stored, journaled] = await Promise.all([open(row.accessTokenEnc), open(pending.accessTokenEnc)]);
  return stored !== undefined && stored === journaled;
}

/**
 * The journaled pair under the keyring's newest key (keys may have been rotated, and the old one
 * removed, since it was journaled); undefined when it no longer decrypts with any configured key.
 */
async function onPrimaryKey(keyring: Keyring, pending: PendingRefresh): Promise<PendingRefresh | undefined> {
  const aad = (column: UserTokenColumn) => userTokenAad(column, pending.userId, pending.githubUserId);
  try {
    return {
      ...pending,
      accessTokenEnc: await reencryptSecret(keyring, pending.accessTokenEnc, aad("access_token_enc")),
      refreshTokenEnc:
        pending.refreshTokenEnc === null
          ? null
          : await reencryptSecret(keyring, pending.refreshTokenEnc, aad("refresh_token_enc")),
    };
  } catch (error) {
    if (error instanceof DecryptError) return undefined;
    throw error;
  }
}

/**
 * Writes a journaled pair to the person's row, then clears the journal. The refresh token spent belonged
 * to `pending.connectionId`, so the pair is the only valid one of that connection: if the row changed
 * meanwhile but is still that connection (e.g. marked by a racing refresher), the pair is written over it.
 * A row already holding the pair (its write landed but the answer was lost) is taken as stored. If the
 * connection is gone or replaced, the pair is revoked and not stored. A thrown database error leaves the
 * journal in place: the next refresh replays it.
 */
export async function storeRefreshedPair(
  deps: StorePairDeps,
  pending: PendingRefresh,
): Promise<StorePairResult> {
  let expectedVersion = pending.fromVersion;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const written = await compareAndSetUserToken(
      deps.db,
      pending.userId,
      { connectionId: pending.connectionId, version: expectedVersion },
      patchOf(pending),
    );
    if (written !== undefined) {
      await deps.journal.clear();
      return { kind: "stored", row: written };
    }
    const current = await readUserToken(deps.db, pending.userId);
    if (current === undefined || current.connectionId !== pending.connectionId) {
      await revokeOrphan(deps, pending);
      await deps.journal.clear();
      return { kind: "orphaned" };
    }
    if (await holdsSameAccessToken(deps.keyring, current, pending)) {
      await deps.journal.clear();
      return { kind: "stored", row: current };
    }
    expectedVersion = current.version;
  }
  return { kind: "contended" };
}

/**
 * Finishes a refresh an earlier call could not store (its Postgres write was cut, or the object was
 * evicted between GitHub's answer and the write). Runs before anything else reads the row, so the pair
 * GitHub already rotated to is never lost and the spent refresh token is never tried again. `contended`:
 * the entry is still journaled and the caller must not refresh now.
 */
export async function replayPendingRefresh(
  deps: StorePairDeps,
  userId: string,
): Promise<"none" | StorePairResult["kind"]> {
  const pending = await deps.journal.read();
  if (pending === undefined) return "none";
  if (pending.userId !== userId) {
    deps.logger.error("journaled refresh of another user dropped", { userId });
    await deps.journal.clear();
    return "none";
  }
  const current = await onPrimaryKey(deps.keyring, pending);
  if (current === undefined) {
    // Its key is gone: the pair cannot be used, and the refresh token it replaced is spent.
    deps.logger.error("a journaled refresh does not decrypt; dropped", { userId });
    await deps.journal.clear();
    return "none";
  }
  const result = await storeRefreshedPair(deps, current);
  deps.logger.warn("an interrupted refresh was finished", { userId, result: result.kind });
  return result.kind;
}
