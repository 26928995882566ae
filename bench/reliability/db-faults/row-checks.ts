/**
 * "No half-written rows": a person's connection row either does not exist or is whole — a known status,
 * a version, and both tokens decrypting under their AAD (a row written half-way, or with a token from
 * another row, would not). And "valid token lost": GitHub still accepts a user token of the person's
 * grant that gitcred no longer holds.
 */
import { harness, sim, sql } from "../harness/client.ts";
import { openEnvelope, secretAad } from "../harness/envelope.ts";

interface RowFacts {
  user_id: string;
  github_user_id: string;
  status: string;
  version: number;
  access_token_enc: string;
  refresh_token_enc: string | null;
}

export interface RowCheck {
  exists: boolean;
  whole: boolean;
  status?: string;
  version?: number;
  accessToken?: string;
}

/** The person's row, and whether it is whole (known status, version, both tokens decrypt). */
export async function checkRow(userId: string): Promise<RowCheck> {
  const { rows } = await sql().query<RowFacts>(
    "select user_id, github_user_id::text, status, version, access_token_enc, refresh_token_enc from github_user_tokens where user_id = $1",
    [userId],
  );
  const row = rows[0];
  if (row === undefined) return { exists: false, whole: true };
  const keys = harness().tokenEncryptionKeys;
  const aad = (column: string) =>
    secretAad("github_user_tokens", column, row.user_id, Number(row.github_user_id));
  try {
    const accessToken = openEnvelope(keys, row.access_token_enc, aad("access_token_enc"));
    if (row.refresh_token_enc !== null) openEnvelope(keys, row.refresh_token_enc, aad("refresh_token_enc"));
    const whole = ["active", "reconnect_required"].includes(row.status) && row.version >= 1;
    return { exists: true, whole, status: row.status, version: row.version, accessToken };
  } catch {
    return { exists: true, whole: false, status: row.status, version: row.version };
  }
}

/** Every row of the table whole (after a server restart or a cut connection). */
export async function allRowsWhole(): Promise<{ rows: number; broken: string[] }> {
  const { rows } = await sql().query<{ user_id: string }>("select user_id from github_user_tokens");
  const broken: string[] = [];
  for (const { user_id } of rows) if (!(await checkRow(user_id)).whole) broken.push(user_id);
  return { rows: rows.length, broken };
}

/**
 * User tokens of this GitHub account that GitHub still accepts but gitcred does not hold (the row is gone
 * or marked, or stores another token). The person did nothing: such a token is lost to gitcred.
 */
export async function lostTokens(githubUserId: number, userId: string): Promise<number> {
  const live = (await sim().issuedTokens()).filter(
    (t) => t.kind === "user" && t.userId === githubUserId && t.status === "active",
  );
  const row = await checkRow(userId);
  const held = row.exists && row.status === "active" ? row.accessToken : undefined;
  return live.filter((t) => t.token !== held).length;
}
