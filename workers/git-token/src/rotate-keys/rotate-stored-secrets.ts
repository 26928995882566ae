import { DecryptError, type Keyring, reencryptSecret, secretAad } from "@gitcred/utils";
import { userTokenAad } from "../user/user-token-crypto.ts";

/** The slice of a Postgres client rotation needs: `pg`'s Client/Pool and Neon's Pool all fit. */
interface SqlClient {
  query(
    text: string,
    params?: unknown[],
  ): Promise<{ rows: Record<string, unknown>[]; rowCount?: number | null }>;
}

export interface RotationReport {
  /** Rows looked at, per table. */
  checked: number;
  /** Rows re-encrypted to the primary key. */
  rotated: number;
  /** Rows whose secrets do not decrypt with any configured key (left untouched; they need a reconnect). */
  undecryptable: number;
}

const PAGE = 200;
/** Attempts per row when a concurrent write (a refresh) changes it between read and write. */
const ATTEMPTS = 3;

async function rotateUserTokenRow(
  client: SqlClient,
  keyring: Keyring,
  userId: string,
  dryRun: boolean,
): Promise<"rotated" | "unchanged" | "undecryptable" | "gone"> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const { rows } = await client.query(
      "select github_user_id, access_token_enc, refresh_token_enc, version from github_user_tokens where user_id = $1",
      [userId],
    );
    const row = rows[0];
    if (row === undefined) return "gone";
    const githubUserId = Number(row.github_user_id);
    const access = String(row.access_token_enc);
    const refresh = row.refresh_token_enc === null ? null : String(row.refresh_token_enc);
    let nextAccess: string;
    let nextRefresh: string | null;
    try {
      nextAccess = await reencryptSecret(
        keyring,
        access,
        userTokenAad("access_token_enc", userId, githubUserId),
      );
      nextRefresh =
        refresh === null
          ? null
          : await reencryptSecret(keyring, refresh, userTokenAad("refresh_token_enc", userId, githubUserId));
    } catch (error) {
      if (error instanceof DecryptError) return "undecryptable";
      throw error;
    }
    if (nextAccess === access && nextRefresh === refresh) return "unchanged";
    if (dryRun) return "rotated";
    // The same optimistic lock as every other write: a refresh that wrote meanwhile wins, and we re-read.
    const updated = await client.query(
      `update github_user_tokens
          set access_token_enc = $1, refresh_token_enc = $2, version = version + 1, updated_at = now()
        where user_id = $3 and version = $4`,
      [nextAccess, nextRefresh, userId, row.version],
    );
    if ((updated.rowCount ?? 0) === 1) return "rotated";
  }
  throw new Error("a connection kept changing during key rotation; run the command again");
}

async function rotateOauthStates(
  client: SqlClient,
  keyring: Keyring,
  dryRun: boolean,
  report: RotationReport,
) {
  const { rows } = await client.query(
    "select state_hash, pkce_verifier_enc from oauth_states where expires_at > now() order by state_hash",
  );
  for (const row of rows) {
    report.checked++;
    const stateHash = String(row.state_hash);
    const envelope = String(row.pkce_verifier_enc);
    let next: string;
    try {
      next = await reencryptSecret(
        keyring,
        envelope,
        secretAad("oauth_states", "pkce_verifier_enc", stateHash),
      );
    } catch (error) {
      if (error instanceof DecryptError) {
        report.undecryptable++;
        continue;
      }
      throw error;
    }
    if (next === envelope) continue;
    report.rotated++;
    if (!dryRun) {
      await client.query(
        "update oauth_states set pkce_verifier_enc = $1 where state_hash = $2 and pkce_verifier_enc = $3",
        [next, stateHash, envelope],
      );
    }
  }
}

/**
 * Re-encrypts every secret stored in Postgres under the keyring's first (newest) key: people's access
 * and refresh tokens (same AAD: table, column, user, GitHub account) and pending OAuth PKCE verifiers.
 * Rows are paged and each write carries the row's version, so a refresh running at the same time is
 * never overwritten. Idempotent: a second run rotates nothing. Plaintext lives only inside one row's step.
 * KV (installation tokens, at most 50 minutes) and the connect worker's device authorizations (15
 * minutes) are not rewritten: keep the old key configured for an hour after rotating, then remove it.
 */
export async function rotateStoredSecrets(
  client: SqlClient,
  keyring: Keyring,
  options: { dryRun?: boolean } = {},
): Promise<{ userTokens: RotationReport; oauthStates: RotationReport }> {
  const dryRun = options.dryRun === true;
  const userTokens: RotationReport = { checked: 0, rotated: 0, undecryptable: 0 };
  let after = "";
  for (;;) {
    const { rows } = await client.query(
      "select user_id from github_user_tokens where user_id > $1 order by user_id limit $2",
      [after, PAGE],
    );
    for (const row of rows) {
      const userId = String(row.user_id);
      userTokens.checked++;
      const outcome = await rotateUserTokenRow(client, keyring, userId, dryRun);
      if (outcome === "rotated") userTokens.rotated++;
      if (outcome === "undecryptable") userTokens.undecryptable++;
      after = userId;
    }
    if (rows.length < PAGE) break;
  }
  const oauthStates: RotationReport = { checked: 0, rotated: 0, undecryptable: 0 };
  await rotateOauthStates(client, keyring, dryRun, oauthStates);
  return { userTokens, oauthStates };
}
