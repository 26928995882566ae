import type { Database } from "./open-database.ts";
import { installationClaims } from "./schema.ts";

export interface InstallationClaimInput {
  tenantId: string;
  installationId: number;
  via: "install_flow" | "grant" | "migration";
  claimedByUserId?: string | null;
  caller?: string | null;
}

/**
 * Records that `tenantId` may use the App on `installationId`. Idempotent: a second claim of the same
 * pair keeps the first row (and its history) and answers `created: false`.
 */
export async function claimInstallation(
  db: Database,
  input: InstallationClaimInput,
): Promise<{ created: boolean }> {
  const rows = await db
    .insert(installationClaims)
    .values({
      tenantId: input.tenantId,
      installationId: input.installationId,
      via: input.via,
      claimedByUserId: input.claimedByUserId ?? null,
      caller: input.caller ?? null,
    })
    .onConflictDoNothing()
    .returning({ tenantId: installationClaims.tenantId });
  return { created: rows.length > 0 };
}
