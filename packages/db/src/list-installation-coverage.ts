import { asc, eq, inArray } from "drizzle-orm";
import type { Database } from "./open-database.ts";
import { githubInstallationRepositories, githubInstallations, installationClaims } from "./schema.ts";

export interface InstallationCoverageRow {
  installationId: number;
  via: "install_flow" | "grant" | "migration";
  claimedAt: Date;
  accountLogin: string | null;
  accountType: string | null;
  repositorySelection: "all" | "selected" | null;
  suspendedAt: Date | null;
  deletedAt: Date | null;
  /** Lower-cased `owner/repo` of a `selected` installation, sorted, at most `repositoryLimit`. */
  repositories: string[];
  repositoriesTruncated: boolean;
}

/**
 * The installations a tenant claimed, with what each covers as gitcred recorded it (the installation
 * row the API and webhooks keep current, and a `selected` installation's repositories from webhooks).
 * Only the tenant's own claims: another tenant's installations are never listed.
 */
export async function listInstallationCoverage(
  db: Database,
  tenantId: string,
  repositoryLimit: number,
): Promise<InstallationCoverageRow[]> {
  const claims = await db
    .select({
      installationId: installationClaims.installationId,
      via: installationClaims.via,
      claimedAt: installationClaims.createdAt,
      accountLogin: githubInstallations.accountLogin,
      accountType: githubInstallations.accountType,
      repositorySelection: githubInstallations.repositorySelection,
      suspendedAt: githubInstallations.suspendedAt,
      deletedAt: githubInstallations.deletedAt,
    })
    .from(installationClaims)
    .leftJoin(githubInstallations, eq(githubInstallations.installationId, installationClaims.installationId))
    .where(eq(installationClaims.tenantId, tenantId))
    .orderBy(asc(installationClaims.createdAt), asc(installationClaims.installationId));
  const selected = claims.filter((c) => c.repositorySelection === "selected").map((c) => c.installationId);
  const repos =
    selected.length === 0
      ? []
      : await db
          .select({
            installationId: githubInstallationRepositories.installationId,
            fullName: githubInstallationRepositories.fullName,
          })
          .from(githubInstallationRepositories)
          .where(inArray(githubInstallationRepositories.installationId, selected))
          .orderBy(asc(githubInstallationRepositories.fullName));
  return claims.map((claim) => {
    const names = repos.filter((r) => r.installationId === claim.installationId).map((r) => r.fullName);
    return {
      ...claim,
      repositories: names.slice(0, repositoryLimit),
      repositoriesTruncated: names.length > repositoryLimit,
    };
  });
}
