import type { RevokeInstallationGrantResult } from "@gitcred/client";
import { insertAuditEvent, revokeInstallationClaim } from "@gitcred/db";
import type { ServiceDeps } from "../deps.ts";
import { forgetEntitlement } from "../installation/installation-entitlement.ts";

/**
 * Ends one tenant's claim. The isolate answering this stops handing the tenant the App's token at once
 * (its memo is forgotten before the answer); other isolates within `ENTITLEMENT_MEMO_MS`. Audited.
 */
export async function revokeInstallationGrant(
  deps: ServiceDeps,
  input: { tenantId: string; installationId: number },
): Promise<RevokeInstallationGrantResult> {
  const db = deps.db();
  const { revoked } = await revokeInstallationClaim(db, input.tenantId, input.installationId);
  // After the delete: a check that read the row before it is not remembered (see the generation).
  forgetEntitlement(input.tenantId, input.installationId);
  await insertAuditEvent(db, {
    event: "installation_grant_revoked",
    caller: deps.caller,
    detail: { tenantId: input.tenantId, installationId: input.installationId, revoked },
  });
  deps.logger.info("installation grant revoked", { ...input, revoked });
  return { ok: true, revoked };
}
