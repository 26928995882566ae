import type { ListInstallationCoverageResult } from "@gitcred/client";
import { listInstallationCoverage as readCoverage } from "@gitcred/db";
import type { ServiceDeps } from "../deps.ts";

/** Repository names listed per `selected` installation; more are counted as truncated. */
export const COVERAGE_REPOSITORIES_MAX = 50;

/**
 * Where the tenant's agents can work as the App: each installation it claimed, whether it covers all
 * of the account's repositories or a selection (and which), and whether GitHub suspended it. Read from
 * what gitcred recorded (API answers and webhooks); ids and names only, no token is minted or returned.
 * A claim on an installation since deleted at GitHub is left out: it lets agents do nothing.
 */
export async function listInstallationCoverage(
  deps: ServiceDeps,
  tenantId: string,
): Promise<ListInstallationCoverageResult> {
  const rows = await readCoverage(deps.db(), tenantId, COVERAGE_REPOSITORIES_MAX);
  return {
    ok: true,
    installations: rows
      .filter((row) => row.deletedAt === null)
      .map((row) => ({
        installationId: row.installationId,
        accountLogin: row.accountLogin,
        accountType:
          row.accountType === "User" || row.accountType === "Organization" ? row.accountType : null,
        repositorySelection: row.repositorySelection,
        repositories: row.repositorySelection === "selected" ? row.repositories : [],
        repositoriesTruncated: row.repositorySelection === "selected" && row.repositoriesTruncated,
        suspendedAt: row.suspendedAt?.toISOString() ?? null,
        via: row.via,
        claimedAt: row.claimedAt.toISOString(),
      })),
  };
}
