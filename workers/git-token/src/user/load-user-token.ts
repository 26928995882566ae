import { readUserToken } from "@gitcred/db";
import { sha256Hex } from "@gitcred/utils";
import type { ServiceDeps } from "../deps.ts";
import { SingleFlight } from "../single-flight.ts";
import { evaluateUserTokenRow } from "./evaluate-user-token-row.ts";
import type { RefreshOutcome } from "./refresh-outcome.ts";
import { settleRejectedToken } from "./settle-rejected-token.ts";
import { type MemoLoad, userTokenMemo } from "./user-token-memo.ts";

/**
 * Memo misses of one person in this isolate share one load (row read, decryption, refresh if due). A
 * burst of calls (an agent fleet starting, a refresh storm) otherwise opens one Postgres connection per
 * call before the refresher even shares the refresh: 200 callers cost ~1 s on 2 cores for that alone
 * (docs/BENCHMARKS.md, P3). Only plain data (the outcome) is shared; the load runs on the deps of the
 * call that started it, so joining calls never open a connection.
 */
const loads = new SingleFlight<RefreshOutcome>();

/**
 * The person's usable access token: from the memo, else from their row (decrypted), else, when it is
 * within 10 minutes of expiry, through their refresher Durable Object, which shares one refresh among
 * all concurrent callers. Never refreshes here: only the refresher spends a refresh token.
 *
 * Concurrent memo misses for one person in this isolate share one load. A joining call gets the same
 * outcome, typed failures included (they are about the person, not about the call that loaded). If the
 * shared load throws (the loading call's database connection failed), a joining call loads once more
 * itself (again shared with the other joiners) rather than inherit another call's broken connection;
 * what that throws goes to the RPC boundary as before (`database_unavailable`). A load under way when
 * the memo forgets the person (connect, disconnect, rejection) is not joined by later calls and does not
 * fill the memo.
 *
 * `rejectedTokenSha256`: a caller saw GitHub refuse a token. The memo and the shared load are skipped
 * (either may hold exactly that token) and, when the row's token is the refused one, GitHub settles
 * whether it is dead (`settleRejectedToken`); a hash of any other token is ignored and the row's token
 * answered.
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
  const load = userTokenMemo.beginLoad(userId);
  try {
    if (rejectedTokenSha256 !== undefined) return await loadFromRow(deps, load, rejectedTokenSha256);
    return await loadShared(deps, load);
  } finally {
    userTokenMemo.endLoad(load);
  }
}

/** One shared load per person and generation; a joiner whose shared load threw tries once more itself. */
async function loadShared(deps: ServiceDeps, load: MemoLoad): Promise<RefreshOutcome> {
  // The generation is part of the key: after a `forget`, calls start a new load instead of joining one
  // that may have read the row before the write.
  const key = `${load.userId}:${load.generation}`;
  let led = false;
  try {
    return await loads.run(key, () => {
      led = true;
      return loadFromRow(deps, load, undefined);
    });
  } catch (error) {
    if (led) throw error;
    // The failed load is no longer in flight (SingleFlight drops it before its promise settles), so the
    // first joiner to get here starts a load with its own deps and the others join that one.
    return loads.run(key, () => loadFromRow(deps, load, undefined));
  }
}

async function loadFromRow(
  deps: ServiceDeps,
  load: MemoLoad,
  rejectedTokenSha256: string | undefined,
): Promise<RefreshOutcome> {
  const keyring = await deps.config.keyring;
  const row = await readUserToken(deps.db(), load.userId);
  let outcome = await evaluateUserTokenRow(row, keyring, deps.now(), deps.logger, deps.config.github.apiUrl);
  if (outcome === "needs_refresh") {
    outcome = await deps.refreshUserToken(load.userId);
  } else if (
    outcome.ok &&
    rejectedTokenSha256 !== undefined &&
    (await sha256Hex(outcome.token)) === rejectedTokenSha256
  ) {
    const { ok: _ok, ...stored } = outcome;
    // Settling forgets the person (the memo may hold the refused token), so this load does not memoize
    // what it settles: the next call reads the row, which holds whatever settling left there.
    outcome = await settleRejectedToken(deps, load.userId, stored);
  }
  if (outcome.ok) {
    const { ok: _ok, ...token } = outcome;
    userTokenMemo.set(load, token, deps.now());
  }
  return outcome;
}
