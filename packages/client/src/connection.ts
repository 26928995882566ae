/**
 * The person's connection in git-token's contract: its state, storing it (OAuth web flow, device flow),
 * disconnecting and erasing it, and the webhook-driven calls that end it. Split from git-token.ts, which
 * keeps the token results and the entrypoints' interfaces.
 */
import type { CommonFailureReason, RpcFailure } from "./git-token.ts";

// Connections

export interface UserIdInput {
  userId: string;
}

export type ConnectionStatus = "active" | "reconnect_required";

export type ConnectionInfo =
  | { ok: true; connected: false }
  | {
      ok: true;
      connected: true;
      /** New on every connect. */
      connectionId: string;
      githubUserId: number;
      login: string;
      name: string | null;
      status: ConnectionStatus;
      /**
       * Why the connection needs a reconnect (with `status: "reconnect_required"`), from the event that
       * marked it: the person revoked gitcred on GitHub, the refresh token was refused or expired, or
       * GitHub confirmed a token dead. The settings page says it, so the person knows what happened.
       */
      reconnectReason?: ReconnectReason;
      /**
       * GitHub refused the person's token for an organisation that enforces SAML single sign-on until
       * they authorize it there (`X-GitHub-SSO: required; url=...`). `authorizeUrl` is GitHub's own
       * link (on the GitHub web host only); the settings page shows it so the person can fix it.
       * Set by `GitTokenConnectBackend.getConnection` only (expires after about an hour; a later
       * refusal brings a fresh one): never in GitTokenService's answer, a token result, a session event
       * or a log — it is the person's to follow.
       */
      ssoRequired?: { organization: string; authorizeUrl: string };
      connectedAt: string;
      accessTokenExpiresAt: string | null;
      refreshTokenExpiresAt: string | null;
    };

/** Why a connection became `reconnect_required` (see `ConnectionInfo.reconnectReason`). */
export type ReconnectReason = "grant_revoked" | "refresh_failed" | "token_rejected" | "unknown";

export type GetConnectionResult = ConnectionInfo | RpcFailure<CommonFailureReason>;

export interface DisconnectUserResult {
  ok: true;
  wasConnected: boolean;
  /** Whether GitHub confirmed the grant revocation; the local row is deleted either way. */
  grantRevoked: boolean;
  /** Why the revocation failed, when it did (e.g. `github_unavailable`). */
  revokeFailure?: string;
}

export type DisconnectUserCallResult = DisconnectUserResult | RpcFailure<CommonFailureReason>;

export interface DeleteUserDataResult {
  ok: true;
  tokenRowDeleted: boolean;
  grantRevoked: boolean;
  revokeFailure?: string;
  /** Earlier audit events of the person, kept with their user id and GitHub id removed. */
  auditEventsAnonymized: number;
  oauthStatesDeleted: number;
  cacheEntriesDeleted: number;
  /** Unopened settings links of the person (each would still open a settings page as them). */
  settingsLinksDeleted: number;
  installStatesDeleted: number;
  /** The person's device authorization (its object, finding no row, stops and answers nothing). */
  deviceAuthorizationsDeleted: number;
  rateLimitsDeleted: number;
}

export type DeleteUserDataCallResult = DeleteUserDataResult | RpcFailure<CommonFailureReason>;

/** Tokens from the OAuth web flow or the device flow, as the connect worker received them. */
export interface StoreConnectionInput {
  userId: string;
  accessToken: string;
  /** ISO time; absent/null when GitHub issued a token without expiry. */
  accessTokenExpiresAt?: string | null;
  refreshToken?: string | null;
  refreshTokenExpiresAt?: string | null;
}

/** Finishes the OAuth web flow here, so the connect worker never holds the person's tokens. */
export interface ConnectWithOAuthCodeInput {
  userId: string;
  code: string;
  /** The PKCE verifier whose S256 challenge started the flow. */
  codeVerifier: string;
  redirectUri: string;
}

/** One poll of a device authorization; on approval the connection is stored here. */
export interface CompleteDeviceAuthorizationInput {
  userId: string;
  deviceCode: string;
  /** The current polling interval (grows by 5 s on every `slow_down`); defaults to 5. */
  intervalSeconds?: number;
}

export interface StoredConnection {
  ok: true;
  connectionId: string;
  githubUserId: number;
  login: string;
  name: string | null;
  /** What the new connection replaced for this user. */
  replaced: "none" | "same_account" | "other_account";
}

export type StoreConnectionFailureReason =
  | CommonFailureReason
  | "disabled"
  /** That GitHub account is connected to another platform user. */
  | "account_in_use"
  /** GitHub rejected the token (`GET /user` answered 401). */
  | "invalid_token"
  /** The code was wrong, expired or already used, or the PKCE verifier did not match. */
  | "bad_verification_code"
  /** Another OAuth error (`message` names GitHub's error code). */
  | "oauth_error";

export type StoreConnectionResult = StoredConnection | RpcFailure<StoreConnectionFailureReason>;

export type DeviceAuthorizationFailureReason =
  | StoreConnectionFailureReason
  /** Not approved yet: poll again after `retryAfterSeconds`. */
  | "authorization_pending"
  /** Polled too fast: poll again after `retryAfterSeconds` (already increased by 5 s). */
  | "slow_down"
  | "expired_token"
  | "access_denied";

export type CompleteDeviceAuthorizationResult =
  | StoredConnection
  | RpcFailure<DeviceAuthorizationFailureReason>;

// ---------------------------------------------------------------------------------------------------------
// Webhook-driven (the connect worker calls these after verifying and recording a delivery)

export interface HandleGrantRevokedInput {
  /** `sender.id` of the `github_app_authorization` `revoked` webhook. */
  githubUserId: number;
}

export type HandleGrantRevokedResult =
  | {
      ok: true;
      /** Whether a connection was marked `reconnect_required` (false: none, or a stale webhook). */
      affected: boolean;
    }
  | RpcFailure<CommonFailureReason>;

export interface ForgetInstallationInput {
  installationId: number;
  /** The installation was deleted at GitHub: every tenant's claim on it ends too. */
  deleted?: boolean;
}

export type ForgetInstallationResult =
  | { ok: true; cachedTokensForgotten: number; claimsEnded: number }
  | RpcFailure<CommonFailureReason>;
