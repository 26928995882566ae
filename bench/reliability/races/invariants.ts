/**
 * The invariants checked after every race round: one row per person (and per GitHub account); no valid
 * token cleared (an active row's access token works at GitHub, a row marked `reconnect_required` holds a
 * refresh token GitHub refuses, a row only disappears when a disconnect ran); the row whole; and the
 * version up by exactly one per write.
 */
import { checkRow } from "../db-faults/row-checks.ts";
import { harness, sim, sql } from "../harness/client.ts";
import { openEnvelope, secretAad } from "../harness/envelope.ts";
import { badWrites, writesSince } from "./history.ts";
import type { RaceTarget } from "./operations.ts";

export interface Violations {
  oneRowPerPerson: string[];
  noValidTokenCleared: string[];
  versionPlusOne: string[];
  wholeRow: string[];
}

async function refreshTokenRefused(userId: string): Promise<boolean> {
  const { rows } = await sql().query<{ refresh_token_enc: string | null; github_user_id: string }>(
    "select refresh_token_enc, github_user_id::text from github_user_tokens where user_id = $1",
    [userId],
  );
  const enc = rows[0]?.refresh_token_enc;
  if (enc === null || enc === undefined) return true;
  const aad = secretAad("github_user_tokens", "refresh_token_enc", userId, Number(rows[0]!.github_user_id));
  const token = openEnvelope(harness().tokenEncryptionKeys, enc, aad);
  const status = (await sim().issuedTokens()).find((t) => t.token === token)?.status;
  return status !== "active";
}

/** The invariants after one round; each violation names the round's operations. */
export async function checkInvariants(
  t: RaceTarget,
  round: { ops: string[]; historyFrom: number; hadRow: boolean },
): Promise<Violations> {
  const v: Violations = { oneRowPerPerson: [], noValidTokenCleared: [], versionPlusOne: [], wholeRow: [] };
  const label = `round [${round.ops.join(", ")}]`;
  const counts = await sql().query<{ by_user: string; by_account: string }>(
    "select (select count(*) from github_user_tokens where user_id = $1) as by_user, (select count(*) from github_user_tokens where github_user_id = $2) as by_account",
    [t.person.userId, t.person.githubUserId],
  );
  if (Number(counts.rows[0]?.by_user) > 1 || Number(counts.rows[0]?.by_account) > 1)
    v.oneRowPerPerson.push(label);
  const row = await checkRow(t.person.userId);
  if (!row.whole) v.wholeRow.push(label);
  if (row.exists && row.status === "active") {
    const check = await sim().checkToken(row.accessToken ?? "", t.owner, t.repo);
    if (!check.valid)
      v.noValidTokenCleared.push(`${label}: the stored access token is refused (${check.reason})`);
  } else if (row.exists && row.status === "reconnect_required") {
    if (!(await refreshTokenRefused(t.person.userId))) {
      v.noValidTokenCleared.push(
        `${label}: marked reconnect_required with a refresh token GitHub still accepts`,
      );
    }
  } else if (round.hadRow && !round.ops.includes("disconnect")) {
    v.noValidTokenCleared.push(`${label}: the row vanished without a disconnect`);
  }
  for (const bad of badWrites(await writesSince(t.person.userId, round.historyFrom))) {
    v.versionPlusOne.push(`${label}: ${bad}`);
  }
  return v;
}
