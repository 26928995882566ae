import type { CompleteDeviceAuthorizationResult } from "@gitcred/client";
import { pollDeviceFlow } from "@gitcred/github";
import { requireOAuth } from "../config.ts";
import type { ServiceDeps } from "../deps.ts";
import { oauthFailure } from "./oauth-failure.ts";

/**
 * One poll of a device authorization; on approval the tokens are stored here and never leave this
 * worker. `authorization_pending` / `slow_down` say when to poll next (`retryAfterSeconds`); the caller
 * (the connect worker's DeviceAuthorization, from its alarm) drives the polling.
 */
export async function completeDeviceAuthorization(
  deps: ServiceDeps,
  input: { userId: string; deviceCode: string; intervalSeconds?: number | undefined },
): Promise<CompleteDeviceAuthorizationResult> {
  if (!deps.config.userTokensEnabled) {
    return { ok: false, reason: "disabled", message: "people's own GitHub tokens are turned off" };
  }
  const oauth = requireOAuth(deps.config);
  const polled = await pollDeviceFlow(deps.config.github, {
    clientId: oauth.clientId,
    deviceCode: input.deviceCode,
    ...(input.intervalSeconds === undefined ? {} : { intervalSeconds: input.intervalSeconds }),
  });
  if (polled.ok) return deps.connections.store(input.userId, polled.tokens);
  switch (polled.reason) {
    case "authorization_pending":
    case "slow_down":
      return {
        ok: false,
        reason: polled.reason,
        message: polled.message,
        retryAfterSeconds: polled.retryAfterSeconds ?? 5,
      };
    case "expired_token":
    case "access_denied":
      return { ok: false, reason: polled.reason, message: polled.message };
    case "incorrect_device_code":
      return { ok: false, reason: "bad_verification_code", message: "the device code is not known" };
    case "device_flow_disabled":
      return { ok: false, reason: "oauth_error", message: "the App does not allow the device flow" };
    default:
      return oauthFailure(deps, { ...polled, reason: polled.reason });
  }
}
