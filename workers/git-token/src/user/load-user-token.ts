import { readUserToken } from "@gitcred/db";
import type { ServiceDeps } from "../deps.ts";
import { evaluateUserTokenRow } from "./evaluate-user-token-row.ts";
import type { RefreshOutcome } from "./refresh-outcome.ts";
import { userTokenMemo } from "./user-token-memo.ts";

/**
 * The person's usable access token: from the memo, else from their row (decrypted), else, when it is
 * within 10 minutes of expiry, through their refresher Durable Object, which shares one refresh among
 * all concurrent callers. Never refreshes here: only the refresher spends a refresh token.
 */
export async function loadUserToken(deps: ServiceDeps, userId: string): Promise<RefreshOutcome> {
  const memoized = userTokenMemo.get(userId);
  if (memoized !== undefined) return { ok: true, ...memoized };
  const keyring = await deps.config.keyring;
  const row = await readUserToken(deps.db(), userId);
  let outcome = await evaluateUserTokenRow(row, keyring, deps.now(), deps.logger);
  if (outcome === "needs_refresh") outcome = await deps.refreshUserToken(userId);
  if (outcome.ok) {
    const { ok: _ok, ...token } = outcome;
    userTokenMemo.set(userId, token, deps.now());
  }
  return outcome;
}
