import { asc, eq } from "drizzle-orm";
import type { Database } from "./open-database.ts";
import { githubInstallations, installationClaims } from "./schema.ts";

export interface ListedInstallationClaim {
  tenantId: string;
  installationId: number;
  via: "install_flow" | "grant" | "migration";
  /** The account the installation is on, when gitcred has recorded the installation. */
  accountLogin: string | null;
  repositorySelection: "all" | "selected" | null;
  createdAt: Date;
}

/** The installations a tenant claimed, oldest first (for the settings page and operators). */
export async function listInstallationClaims(
  db: Database,
  tenantId: string,
): Promise<ListedInstallationClaim[]> {
  return db
    .select({
      tenantId: installationClaims.tenantId,
      installationId: installationClaims.installationId,
      via: installationClaims.via,
      accountLogin: githubInstallations.accountLogin,
      repositorySelection: githubInstallations.repositorySelection,
      createdAt: installationClaims.createdAt,
    })
    .from(installationClaims)
    .leftJoin(githubInstallations, eq(githubInstallations.installationId, installationClaims.installationId))
    .where(eq(installationClaims.tenantId, tenantId))
    .orderBy(asc(installationClaims.createdAt), asc(installationClaims.installationId));
}
