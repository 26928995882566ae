import { and, eq } from "drizzle-orm";
import type { Database } from "./open-database.ts";
import { installationClaims } from "./schema.ts";

/** Whether `tenantId` claimed `installationId`: the question the App path asks before any token. */
export async function isInstallationClaimed(
  db: Database,
  tenantId: string,
  installationId: number,
): Promise<boolean> {
  const rows = await db
    .select({ tenantId: installationClaims.tenantId })
    .from(installationClaims)
    .where(
      and(eq(installationClaims.tenantId, tenantId), eq(installationClaims.installationId, installationId)),
    )
    .limit(1);
  return rows.length > 0;
}
