import type { GetConnectionResult, ReconnectReason } from "@gitcred/client";
import { readReconnectEvent, readUserToken } from "@gitcred/db";
import type { ServiceDeps } from "../deps.ts";

/**
 * Whether the person is connected, as which GitHub account, in what state, and until when the tokens
 * last. Works with the feature gate off too (the settings page still shows and removes connections).
 */
export async function getConnection(deps: ServiceDeps, userId: string): Promise<GetConnectionResult> {
  const db = deps.db();
  const row = await readUserToken(db, userId);
  if (row === undefined) return { ok: true, connected: false };
  // Why it needs a reconnect, so the page can tell the person what happened (read only when it does).
  const reconnectReason =
    row.status === "reconnect_required"
      ? reasonOf(await readReconnectEvent(db, userId, row.connectionId))
      : undefined;
  return {
    ok: true,
    connected: true,
    connectionId: row.connectionId,
    githubUserId: row.githubUserId,
    login: row.githubLogin,
    name: row.githubName,
    status: row.status,
    ...(reconnectReason === undefined ? {} : { reconnectReason }),
    connectedAt: row.connectedAt.toISOString(),
    accessTokenExpiresAt: row.accessExpiresAt?.toISOString() ?? null,
    refreshTokenExpiresAt: row.refreshExpiresAt?.toISOString() ?? null,
  };
}

function reasonOf(marked: { event: string } | undefined): ReconnectReason {
  switch (marked?.event) {
    case "grant_revoked":
    case "refresh_failed":
    case "token_rejected":
      return marked.event;
    default:
      return "unknown";
  }
}
