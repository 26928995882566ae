import type { ForgetInstallationResult } from "@gitcred/client";
import { insertAuditEvent, revokeClaimsOfInstallation } from "@gitcred/db";
import type { ServiceDeps } from "../deps.ts";
import { forgetEntitlementsOf } from "./installation-entitlement.ts";
import { forgetInstallationTokens } from "./installation-token-cache.ts";
import { forgetInstallationLookups } from "./resolve-installation.ts";

/**
 * An installation changed (suspended, deleted, repositories removed; the connect worker applied the
 * webhook to the tables): drop what this worker cached about it, so no token GitHub now refuses is handed
 * out and the next request looks the installation up again. KV keys start with the installation id, so
 * its entries are found by one listing without reading values. Other isolates' memory forgets
 * within its own expiry (10 minutes at most; GitHub refuses their cached tokens meanwhile).
 *
 * `deleted`: the installation is gone at GitHub, so every tenant's claim on it ends (audited): an
 * entitlement never outlives the installation it was for, even if GitHub reused nothing of it.
 */
export async function forgetInstallation(
  deps: ServiceDeps,
  input: { installationId: number; deleted?: boolean | undefined },
): Promise<ForgetInstallationResult> {
  const { installationId } = input;
  let claimsEnded = 0;
  if (input.deleted === true) {
    const tenants = await revokeClaimsOfInstallation(deps.db(), installationId);
    forgetEntitlementsOf(installationId);
    claimsEnded = tenants.length;
    if (claimsEnded > 0) {
      await insertAuditEvent(deps.db(), {
        event: "installation_claims_ended",
        caller: deps.caller,
        detail: { installationId, tenants, reason: "installation_deleted" },
      });
    }
  }
  const app = deps.config.app;
  if (app === undefined) return { ok: true, cachedTokensForgotten: 0, claimsEnded };
  forgetInstallationLookups(installationId);
  const cachedTokensForgotten = await forgetInstallationTokens(deps, app.appId, installationId);
  deps.logger.info("installation forgotten", { installationId, cachedTokensForgotten, claimsEnded });
  return { ok: true, cachedTokensForgotten, claimsEnded };
}
