import { and, eq } from "drizzle-orm";
import type { Database } from "./open-database.ts";
import { installationClaims } from "./schema.ts";

/** Removes one tenant's claim on an installation; answers whether there was one. */
export async function revokeInstallationClaim(
  db: Database,
  tenantId: string,
  installationId: number,
): Promise<{ revoked: boolean }> {
  const rows = await db
    .delete(installationClaims)
    .where(
      and(eq(installationClaims.tenantId, tenantId), eq(installationClaims.installationId, installationId)),
    )
    .returning({ tenantId: installationClaims.tenantId });
  return { revoked: rows.length > 0 };
}

/**
 * Removes every claim on an installation (GitHub says it was deleted): a later installation that reuses
 * nothing of it must be claimed afresh, so nobody inherits an entitlement from a removed one.
 */
export async function revokeClaimsOfInstallation(db: Database, installationId: number): Promise<string[]> {
  const rows = await db
    .delete(installationClaims)
    .where(eq(installationClaims.installationId, installationId))
    .returning({ tenantId: installationClaims.tenantId });
  return rows.map((r) => r.tenantId);
}
