/**
 * The RPC contract of `gitcred-connect` (ConnectService), for the agent platform's Workers. Bind with
 * `[[services]] binding = "CONNECT", service = "gitcred-connect", entrypoint = "ConnectService"`.
 * Results are plain data; expected outcomes are never thrown.
 */

export interface ConnectFailure<R extends string> {
  ok: false;
  reason: R;
  message?: string;
  retryAfterSeconds?: number;
}

export interface CreateSettingsLinkInput {
  userId: string;
  /**
   * The tenant (organisation, workspace) whose installations the page's install flow claims. Defaults
   * to `userId`: a personal tenant.
   */
  tenantId?: string;
  /** A same-site path to land on after connecting; anything else falls back to `/settings`. */
  returnTo?: string;
  /**
   * The platform account's name as the person knows it, shown on the link's interstitial ("Connect
   * GitHub to <displayName>") and on every page, so a person who opens someone else's link sees whose
   * account it is. 1-80 characters, trimmed; control and invisible characters (bidi overrides,
   * zero-width) are refused with `invalid_request`. Defaults to `userId`.
   */
  displayName?: string;
  /** An https image of the platform account (no credentials in the URL, at most 2048 characters). */
  avatarUrl?: string;
}

export type CreateSettingsLinkResult =
  | { ok: true; url: string; expiresAt: string }
  | ConnectFailure<"invalid_request" | "database_unavailable" | "internal_error">;

export interface StartDeviceConnectInput {
  userId: string;
}

export type StartDeviceConnectResult =
  | {
      ok: true;
      /** Shown to the person, who types it at `verificationUri`. */
      userCode: string;
      verificationUri: string;
      expiresAt: string;
      /** Opaque id for `getDeviceConnect`. */
      handle: string;
    }
  | ConnectFailure<
      | "invalid_request"
      | "disabled"
      | "not_configured"
      | "github_unavailable"
      | "rate_limited"
      | "internal_error"
    >;

export interface GetDeviceConnectInput {
  handle: string;
}

export type DeviceConnectState = "pending" | "connected" | "denied" | "expired" | "failed";

export type GetDeviceConnectResult =
  | { ok: true; status: DeviceConnectState; login?: string; failureReason?: string; expiresAt: string }
  | ConnectFailure<"invalid_request" | "not_found" | "internal_error">;

/** ConnectService as consumers see it. */
export interface ConnectRpc {
  /** A single-use settings link for one person; deliver it to the person, never to an agent. */
  createSettingsLink(input: CreateSettingsLinkInput): Promise<CreateSettingsLinkResult>;
  /** Starts a device-flow connection (for terminals and headless setups). */
  startDeviceConnect(input: StartDeviceConnectInput): Promise<StartDeviceConnectResult>;
  getDeviceConnect(input: GetDeviceConnectInput): Promise<GetDeviceConnectResult>;
}
