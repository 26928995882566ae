import { renameInstallationAccount, upsertInstallation } from "@gitcred/db";
import { type AppCredentials, getAppInstallation } from "@gitcred/github";
import type { ServiceDeps } from "../deps.ts";
import { forgetInstallation } from "./forget-installation.ts";

/**
 * Asks GitHub what an installation's account is called now (`GET /app/installations/{id}`: a renamed
 * user or organisation keeps its installation id) and records it: the installation row and its selected
 * repositories take the new login, and what this worker cached for the installation (tokens and
 * lookups keyed by the old names) is forgotten, as is anything cached for installations that still
 * claimed the login for another account. Called when a mint came back for another repository than the
 * one asked for, i.e. the tables matched a stale login. Failures are logged only: the caller asks
 * GitHub about the repository itself next, whose answer decides.
 */
export async function refreshInstallationAccount(
  deps: ServiceDeps,
  credentials: AppCredentials,
  installationId: number,
): Promise<void> {
  const result = await getAppInstallation(deps.config.github, credentials, installationId);
  const stale = new Set([installationId]);
  if (result.ok) {
    const installation = result.installation;
    try {
      await upsertInstallation(deps.db(), installation);
      const renamed = await renameInstallationAccount(deps.db(), {
        installationId,
        accountId: installation.accountId,
        login: installation.accountLogin,
      });
      for (const id of renamed.staleHolders) stale.add(id);
    } catch (error) {
      deps.logger.warn("could not record the installation's account", { installationId, error });
    }
  } else {
    deps.logger.warn("could not read the installation's account", { installationId, reason: result.reason });
  }
  for (const id of stale) await forgetInstallation(deps, { installationId: id });
}
