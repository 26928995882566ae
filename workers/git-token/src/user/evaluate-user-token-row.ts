import type { GithubUserTokenRow } from "@gitcred/db";
import type { Keyring, Logger } from "@gitcred/utils";
import { DecryptError } from "@gitcred/utils";
import { EXPIRY_MARGIN_MS } from "../constants.ts";
import type { RefreshOutcome } from "./refresh-outcome.ts";
import { userIdentity } from "./user-identity.ts";
import { decryptUserToken } from "./user-token-crypto.ts";

/** Whether the row's access token is within the expiry margin (or past it) and must be refreshed. */
export function needsRefresh(row: GithubUserTokenRow, now: number): boolean {
  return row.accessExpiresAt !== null && row.accessExpiresAt.getTime() - now <= EXPIRY_MARGIN_MS;
}

/**
 * What a row means without calling GitHub: no row -> `not_connected`; `reconnect_required` -> same;
 * an access token within 10 minutes of expiry -> `"needs_refresh"`; else the decrypted token. A token
 * that does not decrypt (tampered, moved, unknown key) is `reconnect_required` and logged: the row is
 * not marked, because a key misconfiguration must not disconnect everyone.
 */
export async function evaluateUserTokenRow(
  row: GithubUserTokenRow | undefined,
  keyring: Keyring,
  now: number,
  logger: Logger,
  /** GITHUB_API_URL: the identity's noreply address follows its host. */
  apiUrl: string,
): Promise<RefreshOutcome | "needs_refresh"> {
  if (row === undefined) return { ok: false, reason: "not_connected" };
  if (row.status !== "active") {
    return { ok: false, reason: "reconnect_required", message: "the person must reconnect GitHub" };
  }
  if (needsRefresh(row, now)) return "needs_refresh";
  try {
    const token = await decryptUserToken(
      keyring,
      "access_token_enc",
      row.userId,
      row.githubUserId,
      row.accessTokenEnc,
    );
    return {
      ok: true,
      token,
      expiresAt: row.accessExpiresAt?.getTime() ?? null,
      connectionId: row.connectionId,
      version: row.version,
      identity: userIdentity(row, apiUrl),
    };
  } catch (error) {
    if (!(error instanceof DecryptError)) throw error;
    logger.error("stored access token does not decrypt", { userId: row.userId, code: error.code, error });
    return { ok: false, reason: "reconnect_required", message: "the stored token is unusable" };
  }
}
