import { deleteUserToken, type GithubUserTokenRow, readUserToken } from "@gitcred/db";
import { revokeGrant } from "@gitcred/github";
import type { ServiceDeps } from "../deps.ts";
import { evaluateUserTokenRow } from "../user/evaluate-user-token-row.ts";
import { userTokenMemo } from "../user/user-token-memo.ts";
import type { RemovedConnection } from "./connection-changes.ts";

/** A token of the grant that GitHub will still accept (refreshed first if needed), or why there is none. */
async function tokenForRevocation(
  deps: ServiceDeps,
  row: GithubUserTokenRow,
): Promise<string | { failure: string }> {
  const keyring = await deps.config.keyring;
  let outcome = await evaluateUserTokenRow(row, keyring, deps.now(), deps.logger, deps.config.github.apiUrl);
  // GitHub only revokes a grant named by a live token: an expiring one is refreshed first.
  if (outcome === "needs_refresh") outcome = await deps.refreshUserToken(row.userId);
  return outcome.ok ? outcome.token : { failure: outcome.reason };
}

/**
 * Disconnects a person: gets a live token of their grant, deletes the row (whatever its version, so a
 * refresh in flight cannot write it back), then revokes the grant at GitHub. A GitHub failure is
 * reported in the result and never blocks the local deletion. Run it through `deps.connections.remove`
 * (one connection change at a time per person), never beside a connect of the same person.
 */
export async function removeConnection(deps: ServiceDeps, userId: string): Promise<RemovedConnection> {
  const row = await readUserToken(deps.db(), userId);
  if (row === undefined) {
    userTokenMemo.forget(userId);
    return { ok: true, row: undefined, grantRevoked: false };
  }
  const token = await tokenForRevocation(deps, row);
  const deleted = await deleteUserToken(deps.db(), userId);
  userTokenMemo.forget(userId);
  const oauth = deps.config.oauth;
  if (typeof token !== "string")
    return { ok: true, row: deleted ?? row, grantRevoked: false, revokeFailure: token.failure };
  if (oauth === undefined)
    return { ok: true, row: deleted ?? row, grantRevoked: false, revokeFailure: "not_configured" };
  const revoked = await revokeGrant(deps.config.github, { ...oauth, accessToken: token });
  if (!revoked.ok) deps.logger.warn("could not revoke grant", { userId, reason: revoked.reason });
  return revoked.ok
    ? { ok: true, row: deleted ?? row, grantRevoked: true }
    : { ok: true, row: deleted ?? row, grantRevoked: false, revokeFailure: revoked.reason };
}
