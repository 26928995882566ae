import type {
  ClaimKnownInstallationsResult,
  DeleteUserDataCallResult,
  GitTokenAdminRpc,
  GrantInstallationResult,
  RevokeInstallationGrantResult,
  StoreConnectionResult,
} from "@gitcred/client";
import { settleHandOuts } from "../activity/record-hand-out.ts";
import { claimKnownInstallations } from "../claims/claim-known-installations.ts";
import { grantInstallation } from "../claims/grant-installation.ts";
import { revokeInstallationGrant } from "../claims/revoke-installation-grant.ts";
import { deleteUserData } from "../connection/delete-user-data.ts";
import * as schemas from "../schemas.ts";
import { EntrypointCalls } from "./entrypoint-calls.ts";
import { GitTokenEntrypoint } from "./git-token-entrypoint.ts";

function toDate(value: string | null | undefined): Date | null {
  return value === undefined || value === null ? null : new Date(value);
}

/**
 * GitTokenAdmin: the operator's entrypoint. Erasure, the claims migration, and storing a connection from
 * tokens obtained elsewhere are powerful enough that neither the platform's workers nor the connect
 * worker bind to them; an operator's tool does.
 */
export class GitTokenAdmin extends GitTokenEntrypoint implements GitTokenAdminRpc {
  protected readonly calls = new EntrypointCalls(this.env, this.ctx, "GitTokenAdmin");

  /** Everything about the person gone (GDPR); audit events kept without personal data. */
  async deleteUserData(input: unknown): Promise<DeleteUserDataCallResult> {
    return this.calls.call("deleteUserData", schemas.userIdInput, input, async (deps, value) => {
      // A hand-out of the person still being written here would land after the erasure, unstripped.
      await settleHandOuts(deps);
      return deleteUserData(deps, value.userId);
    });
  }

  /** Stores a connection from tokens obtained outside gitcred's own flows (checked with `GET /user`). */
  async storeConnection(input: unknown): Promise<StoreConnectionResult> {
    return this.calls.call("storeConnection", schemas.storeConnectionInput, input, (deps, value) =>
      deps.connections.store(value.userId, {
        accessToken: value.accessToken,
        accessTokenExpiresAt: toDate(value.accessTokenExpiresAt),
        refreshToken: value.refreshToken ?? null,
        refreshTokenExpiresAt: toDate(value.refreshTokenExpiresAt),
        scope: "",
        tokenType: "bearer",
      }),
    );
  }

  /** The upgrade step: claims the installations gitcred already recorded for one tenant (audited). */
  async claimKnownInstallations(input: unknown): Promise<ClaimKnownInstallationsResult> {
    return this.calls.call(
      "claimKnownInstallations",
      schemas.claimKnownInstallationsInput,
      input,
      (deps, value) => claimKnownInstallations(deps, value),
    );
  }

  async grantInstallation(input: unknown): Promise<GrantInstallationResult> {
    return this.calls.call("grantInstallation", schemas.installationGrantInput, input, (deps, value) =>
      grantInstallation(deps, value),
    );
  }

  async revokeInstallationGrant(input: unknown): Promise<RevokeInstallationGrantResult> {
    return this.calls.call("revokeInstallationGrant", schemas.installationGrantInput, input, (deps, value) =>
      revokeInstallationGrant(deps, value),
    );
  }
}
