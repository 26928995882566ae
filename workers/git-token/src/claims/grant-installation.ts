import type { GrantInstallationResult } from "@gitcred/client";
import { claimInstallation, insertAuditEvent, upsertInstallation } from "@gitcred/db";
import { getAppInstallation } from "@gitcred/github";
import type { ServiceDeps } from "../deps.ts";
import { appCredentials } from "../installation/app-credentials.ts";

/**
 * Lets `tenantId` use the App's token on an installation the platform manages itself. GitHub is asked
 * first (`GET /app/installations/{id}`), so only an installation of this App can be claimed and its
 * account is recorded for the settings page; then the claim and an audit event are written.
 */
export async function grantInstallation(
  deps: ServiceDeps,
  input: { tenantId: string; installationId: number; via?: "grant" | "migration" },
): Promise<GrantInstallationResult> {
  const app = deps.config.app;
  if (app === undefined) {
    return {
      ok: false,
      reason: "app_not_configured",
      message: "GITHUB_APP_ID and GITHUB_APP_SLUG must be set",
    };
  }
  const credentials = await appCredentials(deps, app);
  if ("ok" in credentials) return credentials;
  const found = await getAppInstallation(deps.config.github, credentials, input.installationId);
  if (!found.ok) {
    switch (found.reason) {
      case "not_found":
        return { ok: false, reason: "no_installation", message: "no installation of this App has that id" };
      case "unauthorized":
        return {
          ok: false,
          reason: "app_not_configured",
          message: "GitHub refused the App's JWT: check GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY",
        };
      case "rate_limited":
        return {
          ok: false,
          reason: "rate_limited",
          message: found.message,
          retryAfterSeconds: found.retryAfterSeconds ?? 60,
        };
      default:
        return {
          ok: false,
          reason: "github_unavailable",
          message: found.message,
          retryAfterSeconds: found.retryAfterSeconds ?? 5,
        };
    }
  }
  const db = deps.db();
  await upsertInstallation(db, found.installation);
  const via = input.via ?? "grant";
  const { created } = await claimInstallation(db, {
    tenantId: input.tenantId,
    installationId: input.installationId,
    via,
    caller: deps.caller,
  });
  await insertAuditEvent(db, {
    event: "installation_granted",
    caller: deps.caller,
    detail: { tenantId: input.tenantId, installationId: input.installationId, via, created },
  });
  deps.logger.info("installation granted", {
    tenantId: input.tenantId,
    installationId: input.installationId,
    created,
  });
  return { ok: true, created };
}
