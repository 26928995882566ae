/**
 * Installation claims: which platform tenants may use the App's token on which installation. Part of the
 * git-token contract (`GitTokenRpc`, `GitTokenConnectRpc`, `GitTokenAdminRpc` in git-token.ts).
 */
import type { CommonFailureReason, RpcFailure } from "./git-token.ts";

export interface InstallationGrantInput {
  /** 1–128 of [A-Za-z0-9_.:@-], as a user id. */
  tenantId: string;
  installationId: number;
}

/** One tenant's claim on one installation. */
export interface InstallationClaim {
  tenantId: string;
  installationId: number;
  /** How it was made: the install flow through gitcred, `grantInstallation`, or an operator's migration. */
  via: "install_flow" | "grant" | "migration";
  /** Account the installation is on, when gitcred has seen it. */
  accountLogin: string | null;
  createdAt: string;
}

export type GrantInstallationResult =
  | { ok: true; created: boolean }
  | RpcFailure<CommonFailureReason | "app_not_configured" | "no_installation">;

export type RevokeInstallationGrantResult = { ok: true; revoked: boolean } | RpcFailure<CommonFailureReason>;

export interface ListInstallationGrantsInput {
  tenantId: string;
}

export type ListInstallationGrantsResult =
  | { ok: true; claims: InstallationClaim[] }
  | RpcFailure<CommonFailureReason>;

/** The install flow's last step: the Setup URL callback, after its state was verified by connect. */
export interface ClaimInstallationAsUserInput {
  /** The person who went through the install flow (their own token proves they can see it). */
  userId: string;
  tenantId: string;
  installationId: number;
}

export type ClaimInstallationAsUserResult =
  | { ok: true; created: boolean; accountLogin: string }
  | RpcFailure<
      | CommonFailureReason
      | "disabled"
      | "not_connected"
      | "reconnect_required"
      /** The person's token cannot see that installation (`GET /user/installations`): nothing claimed. */
      | "installation_not_visible"
    >;

/** The upgrade step: claim the installations a deployment already uses, for one tenant. */
export interface ClaimKnownInstallationsInput {
  tenantId: string;
  /** These installations; without it every installation gitcred has recorded and not seen deleted. */
  installationIds?: number[];
}

export type ClaimKnownInstallationsResult =
  | { ok: true; claimed: number[]; alreadyClaimed: number[] }
  | RpcFailure<CommonFailureReason>;
