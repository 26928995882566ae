import type { ClaimKnownInstallationsResult } from "@gitcred/client";
import { claimInstallation, githubInstallations, insertAuditEvent } from "@gitcred/db";
import { and, inArray, isNull } from "drizzle-orm";
import type { ServiceDeps } from "../deps.ts";

/**
 * The upgrade step for a deployment from before claims: gives `tenantId` the installations gitcred has
 * already recorded (all not seen deleted, or the ids named). Run by an operator through the admin
 * entrypoint or `pnpm claim-installations`; until then the App path answers `no_entitlement`, so an
 * upgrade never leaves it open. An id gitcred never recorded is not claimed here (use `grantInstallation`,
 * which asks GitHub about it).
 */
export async function claimKnownInstallations(
  deps: ServiceDeps,
  input: { tenantId: string; installationIds?: number[] | undefined },
): Promise<ClaimKnownInstallationsResult> {
  const db = deps.db();
  const known = await db
    .select({ installationId: githubInstallations.installationId })
    .from(githubInstallations)
    .where(
      input.installationIds === undefined
        ? isNull(githubInstallations.deletedAt)
        : and(
            isNull(githubInstallations.deletedAt),
            inArray(githubInstallations.installationId, input.installationIds),
          ),
    );
  const claimed: number[] = [];
  const alreadyClaimed: number[] = [];
  for (const { installationId } of known.sort((a, b) => a.installationId - b.installationId)) {
    const { created } = await claimInstallation(db, {
      tenantId: input.tenantId,
      installationId,
      via: "migration",
      caller: deps.caller,
    });
    (created ? claimed : alreadyClaimed).push(installationId);
  }
  await insertAuditEvent(db, {
    event: "installations_claimed_by_migration",
    caller: deps.caller,
    detail: { tenantId: input.tenantId, claimed, alreadyClaimed },
  });
  deps.logger.info("installations claimed by migration", {
    claimed: claimed.length,
    alreadyClaimed: alreadyClaimed.length,
  });
  return { ok: true, claimed, alreadyClaimed };
}
