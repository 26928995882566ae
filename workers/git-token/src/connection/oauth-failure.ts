import type { RpcFailure, StoreConnectionFailureReason } from "@gitcred/client";
import type { OAuthTokenFailure } from "@gitcred/github";
import type { ServiceDeps } from "../deps.ts";

/** Maps a failed code exchange to the RPC's reasons; client-credential errors are ours (logged). */
export function oauthFailure(
  deps: ServiceDeps,
  failure: OAuthTokenFailure,
): RpcFailure<StoreConnectionFailureReason> {
  switch (failure.reason) {
    case "bad_verification_code":
      return { ok: false, reason: "bad_verification_code", message: "the code is wrong, expired or used" };
    case "github_unavailable":
    case "rate_limited":
      return {
        ok: false,
        reason: failure.reason,
        message: failure.message,
        retryAfterSeconds: failure.retryAfterSeconds ?? 5,
      };
    case "incorrect_client_credentials":
    case "unauthorized":
      deps.logger.error("GitHub refused the App's client credentials", { reason: failure.reason });
      return {
        ok: false,
        reason: "internal_error",
        message: "configuration error: GitHub refused the App's client credentials",
      };
    default:
      return {
        ok: false,
        reason: "oauth_error",
        message: `GitHub's token endpoint answered ${failure.oauthError ?? failure.reason}`,
      };
  }
}
