import type { ClaimInstallationAsUserResult } from "@gitcred/client";
import { claimInstallation, insertAuditEvent, upsertInstallation } from "@gitcred/db";
import { listUserInstallations } from "@gitcred/github";
import type { ServiceDeps } from "../deps.ts";
import { loadUserToken } from "../user/load-user-token.ts";

/**
 * The install flow's last step. The Setup URL's `installation_id` is only a claim by the browser, so it
 * is believed only when the person's own token lists that installation (`GET /user/installations`):
 * a forged, guessed or replayed id of someone else's installation claims nothing. Connect calls this
 * after it consumed the single-use, browser-bound install state; the person's token never leaves here.
 */
export async function claimInstallationAsUser(
  deps: ServiceDeps,
  input: { userId: string; tenantId: string; installationId: number },
): Promise<ClaimInstallationAsUserResult> {
  if (!deps.config.userTokensEnabled) {
    return { ok: false, reason: "disabled", message: "people's own GitHub tokens are turned off" };
  }
  const loaded = await loadUserToken(deps, input.userId);
  if (!loaded.ok) return loaded;
  const listed = await listUserInstallations(deps.config.github, loaded.token);
  if (!listed.ok) {
    switch (listed.reason) {
      case "unauthorized":
        return { ok: false, reason: "reconnect_required", message: "GitHub refused the person's token" };
      case "rate_limited":
        return {
          ok: false,
          reason: "rate_limited",
          message: listed.message,
          retryAfterSeconds: listed.retryAfterSeconds ?? 60,
        };
      default:
        return {
          ok: false,
          reason: "github_unavailable",
          message: listed.message,
          retryAfterSeconds: listed.retryAfterSeconds ?? 5,
        };
    }
  }
  const installation = listed.installations.find((i) => i.installationId === input.installationId);
  const db = deps.db();
  if (installation === undefined) {
    await insertAuditEvent(db, {
      event: "installation_claim_refused",
      userId: input.userId,
      githubUserId: loaded.identity.githubUserId,
      caller: deps.caller,
      detail: {
        tenantId: input.tenantId,
        installationId: input.installationId,
        reason: "installation_not_visible",
      },
    });
    deps.logger.warn("refused an installation claim", {
      installationId: input.installationId,
      reason: "installation_not_visible",
    });
    return {
      ok: false,
      reason: "installation_not_visible",
      message: "the person's GitHub account cannot see that installation",
    };
  }
  await upsertInstallation(db, installation);
  const { created } = await claimInstallation(db, {
    tenantId: input.tenantId,
    installationId: input.installationId,
    via: "install_flow",
    claimedByUserId: input.userId,
    caller: deps.caller,
  });
  await insertAuditEvent(db, {
    event: "installation_claimed",
    userId: input.userId,
    githubUserId: loaded.identity.githubUserId,
    caller: deps.caller,
    detail: { tenantId: input.tenantId, installationId: input.installationId, via: "install_flow", created },
  });
  deps.logger.info("installation claimed", { installationId: input.installationId, created });
  return { ok: true, created, accountLogin: installation.accountLogin };
}
