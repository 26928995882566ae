import type { DisconnectUserResult } from "@gitcred/client";
import { insertAuditEvent } from "@gitcred/db";
import type { ServiceDeps } from "../deps.ts";
import { removeConnection } from "./remove-connection.ts";

/** Disconnects the person (grant revoked at GitHub when possible, row deleted) with an audit event. */
export async function disconnectUser(deps: ServiceDeps, userId: string): Promise<DisconnectUserResult> {
  const removed = await removeConnection(deps, userId);
  if (removed.row === undefined) return { ok: true, wasConnected: false, grantRevoked: false };
  await insertAuditEvent(deps.db(), {
    event: "disconnect",
    userId,
    githubUserId: removed.row.githubUserId,
    caller: deps.caller,
    detail: {
      connectionId: removed.row.connectionId,
      grantRevoked: removed.grantRevoked,
      ...(removed.revokeFailure === undefined ? {} : { revokeFailure: removed.revokeFailure }),
    },
  });
  deps.logger.info("disconnected", { userId, grantRevoked: removed.grantRevoked });
  return {
    ok: true,
    wasConnected: true,
    grantRevoked: removed.grantRevoked,
    ...(removed.revokeFailure === undefined ? {} : { revokeFailure: removed.revokeFailure }),
  };
}
