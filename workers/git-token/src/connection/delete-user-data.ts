import type { DeleteUserDataCallResult, DeleteUserDataResult } from "@gitcred/client";
import {
  anonymizeAuditEvents,
  deleteOauthStatesForUser,
  erasePageDataForUser,
  insertAuditEvent,
} from "@gitcred/db";
import type { ServiceDeps } from "../deps.ts";

const UUID_THEN_COLON = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:/;

/** Deletes the person's cached repo-access results (their keys name the user and repositories). */
async function deleteCachedAccess(deps: ServiceDeps, userId: string): Promise<number> {
  const prefix = `repo-access:v1:${userId}:`;
  let deleted = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.kv.list({ prefix, ...(cursor === undefined ? {} : { cursor }) });
    // A user id may contain ':' ("a" is a prefix of "a:b"): only keys where a connection id follows are ours.
    const keys = page.keys
      .map((k) => k.name)
      .filter((name) => UUID_THEN_COLON.test(name.slice(prefix.length)));
    await Promise.all(keys.map((name) => deps.kv.delete(name)));
    deleted += keys.length;
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor !== undefined);
  return deleted;
}

/**
 * Everything about a person gone (GDPR erasure): the connection (grant revoked at GitHub when possible),
 * pending OAuth states, cached repo-access results, the connect worker's settings links and install
 * states; earlier audit events keep what happened but lose who.
 * The deletion itself is audited without any personal data.
 */
export async function deleteUserData(deps: ServiceDeps, userId: string): Promise<DeleteUserDataCallResult> {
  const removed = await deps.connections.remove(userId);
  if (!removed.ok) return removed;
  const db = deps.db();
  const oauthStatesDeleted = await deleteOauthStatesForUser(db, userId);
  const cacheEntriesDeleted = await deleteCachedAccess(deps, userId);
  // The connect worker's data of the person. git-token cannot reach connect's KV or Durable Objects, so
  // everything connect must forget is either in Postgres (links, device authorizations, counters) or
  // refused by the erasure marker written here (open KV page sessions, checked on every page request).
  const pageData = await erasePageDataForUser(db, userId, new Date(deps.now()));
  const auditEventsAnonymized = await anonymizeAuditEvents(db, userId);
  const result: DeleteUserDataResult = {
    ok: true,
    tokenRowDeleted: removed.row !== undefined,
    grantRevoked: removed.grantRevoked,
    ...(removed.revokeFailure === undefined ? {} : { revokeFailure: removed.revokeFailure }),
    auditEventsAnonymized,
    oauthStatesDeleted,
    cacheEntriesDeleted,
    ...pageData,
  };
  const { ok: _ok, ...detail } = result;
  await insertAuditEvent(db, { event: "user_data_deleted", caller: deps.caller, detail });
  deps.logger.info("user data deleted", detail);
  return result;
}
