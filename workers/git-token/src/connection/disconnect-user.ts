import type { DisconnectUserCallResult } from "@gitcred/client";
import { insertAuditEvent } from "@gitcred/db";
import type { ServiceDeps } from "../deps.ts";

/** Disconnects the person (grant revoked at GitHub when possible, row deleted) with an audit event. */
export async function disconnectUser(deps: ServiceDeps, userId: string): Promise<DisconnectUserCallResult> {
  const removed = await deps.connections.remove(userId);
  if (!removed.ok) return removed;
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
