import type { ForgetInstallationResult } from "@gitcred/client";
import type { ServiceDeps } from "../deps.ts";
import { forgetInstallationTokens } from "./installation-token-cache.ts";
import { forgetInstallationLookups } from "./resolve-installation.ts";

/**
 * An installation changed (suspended, deleted, repositories removed; the connect worker applied the
 * webhook to the tables): drop what this worker cached about it, so no token GitHub now refuses is handed
 * out and the next request looks the installation up again. KV entries carry the installation id in their
 * metadata, so they are found by one listing without reading values. Other isolates' memory forgets
 * within its own expiry (10 minutes at most; GitHub refuses their cached tokens meanwhile).
 */
export async function forgetInstallation(
  deps: ServiceDeps,
  installationId: number,
): Promise<ForgetInstallationResult> {
  const app = deps.config.app;
  if (app === undefined) return { ok: true, cachedTokensForgotten: 0 };
  forgetInstallationLookups(installationId);
  const cachedTokensForgotten = await forgetInstallationTokens(deps, app.appId, installationId);
  deps.logger.info("installation forgotten", { installationId, cachedTokensForgotten });
  return { ok: true, cachedTokensForgotten };
}
