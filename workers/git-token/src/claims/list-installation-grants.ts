import type { ListInstallationGrantsResult } from "@gitcred/client";
import { listInstallationClaims } from "@gitcred/db";
import type { ServiceDeps } from "../deps.ts";

/** The installations a tenant may use the App on (ids, accounts, how each was claimed; no secret). */
export async function listInstallationGrants(
  deps: ServiceDeps,
  tenantId: string,
): Promise<ListInstallationGrantsResult> {
  const rows = await listInstallationClaims(deps.db(), tenantId);
  return {
    ok: true,
    claims: rows.map((row) => ({
      tenantId: row.tenantId,
      installationId: row.installationId,
      via: row.via,
      accountLogin: row.accountLogin,
      createdAt: row.createdAt.toISOString(),
    })),
  };
}
