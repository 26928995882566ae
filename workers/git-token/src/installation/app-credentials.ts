import type { RpcFailure } from "@gitcred/client";
import { type AppCredentials, GitHubConfigError } from "@gitcred/github";
import type { AppConfig } from "../config.ts";
import type { ServiceDeps } from "../deps.ts";

/**
 * The App as `@octokit/auth-app` authenticates it: its id, its key (read once per configuration, as
 * PKCS#8), and auth-app's notices (a clock-skew retry) sent to our logger, never to the console. A key
 * that cannot sign answers `app_not_configured` with what is wrong, never the key.
 */
export async function appCredentials(
  deps: ServiceDeps,
  app: AppConfig,
): Promise<AppCredentials | RpcFailure<"app_not_configured">> {
  try {
    return {
      appId: app.appId,
      privateKey: await app.privateKey,
      warn: (notice) => deps.logger.warn("GitHub App authentication notice", { notice }),
    };
  } catch (error) {
    if (error instanceof GitHubConfigError)
      return { ok: false, reason: "app_not_configured", message: error.message };
    throw error;
  }
}
