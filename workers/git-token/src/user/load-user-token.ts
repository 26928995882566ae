import { readUserToken } from "@gitcred/db";
import { sha256Hex } from "@gitcred/utils";
import type { ServiceDeps } from "../deps.ts";
import { evaluateUserTokenRow } from "./evaluate-user-token-row.ts";
import type { RefreshOutcome } from "./refresh-outcome.ts";
import { settleRejectedToken } from "./settle-rejected-token.ts";
import { userTokenMemo } from "./user-token-memo.ts";

/**
 * The person's usable access token: from the memo, else from their row (decrypted), else, when it is
 * within 10 minutes of expiry, through their refresher Durable Object, which shares one refresh among
 * all concurrent callers. Never refreshes here: only the refresher spends a refresh token.
 *
 * `rejectedTokenSha256`: a caller saw GitHub refuse a token. The memo is skipped (it may hold exactly that
 * token) and, when the row's token is the refused one, GitHub settles whether it is dead
 * (`settleRejectedToken`); a hash of any other token is ignored and the row's token answered.
 */
export async function loadUserToken(
  deps: ServiceDeps,
  userId: string,
  rejectedTokenSha256?: string,
): Promise<RefreshOutcome> {
  if (rejectedTokenSha256 === undefined) {
    const memoized = userTokenMemo.get(userId);
    if (memoized !== undefined) return { ok: true, ...memoized };
  }
  const keyring = await deps.config.keyring;
  const row = await readUserToken(deps.db(), userId);
  let outcome = await evaluateUserTokenRow(row, keyring, deps.now(), deps.logger);
  if (outcome === "needs_refresh") {
    outcome = await deps.refreshUserToken(userId);
  } else if (
    outcome.ok &&
    rejectedTokenSha256 !== undefined &&
    (await sha256Hex(outcome.token)) === rejectedTokenSha256
  ) {
    const { ok: _ok, ...stored } = outcome;
    outcome = await settleRejectedToken(deps, userId, stored);
  }
  if (outcome.ok) {
    const { ok: _ok, ...token } = outcome;
    userTokenMemo.set(userId, token, deps.now());
  }
  return outcome;
}
