import type { GetConnectionResult } from "@gitcred/client";
import { readUserToken } from "@gitcred/db";
import type { ServiceDeps } from "../deps.ts";

/**
 * Whether the person is connected, as which GitHub account, in what state, and until when the tokens
 * last. Works with the feature gate off too (the settings page still shows and removes connections).
 */
export async function getConnection(deps: ServiceDeps, userId: string): Promise<GetConnectionResult> {
  const row = await readUserToken(deps.db(), userId);
  if (row === undefined) return { ok: true, connected: false };
  return {
    ok: true,
    connected: true,
    connectionId: row.connectionId,
    githubUserId: row.githubUserId,
    login: row.githubLogin,
    name: row.githubName,
    status: row.status,
    connectedAt: row.connectedAt.toISOString(),
    accessTokenExpiresAt: row.accessExpiresAt?.toISOString() ?? null,
    refreshTokenExpiresAt: row.refreshExpiresAt?.toISOString() ?? null,
  };
}
