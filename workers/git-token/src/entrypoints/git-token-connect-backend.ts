import type {
  ClaimInstallationAsUserResult,
  CompleteDeviceAuthorizationResult,
  DisconnectUserCallResult,
  ForgetInstallationResult,
  GetConnectionResult,
  GitTokenConnectRpc,
  HandleGrantRevokedResult,
  ListInstallationGrantsResult,
  StoreConnectionResult,
} from "@gitcred/client";
import { claimInstallationAsUser } from "../claims/claim-installation-as-user.ts";
import { listInstallationGrants } from "../claims/list-installation-grants.ts";
import { completeDeviceAuthorization } from "../connection/complete-device-authorization.ts";
import { connectWithOAuthCode } from "../connection/connect-with-oauth-code.ts";
import { disconnectUser } from "../connection/disconnect-user.ts";
import { getConnection } from "../connection/get-connection.ts";
import { handleGrantRevoked } from "../connection/handle-grant-revoked.ts";
import { forgetInstallation } from "../installation/forget-installation.ts";
import * as schemas from "../schemas.ts";
import { GitTokenEntrypoint } from "./git-token-entrypoint.ts";

/**
 * GitTokenConnectBackend: what the Internet-facing connect worker may call, and nothing more. No method
 * here returns a GitHub token, mints one, or stores tokens a caller supplies, so a bug in the worker that
 * parses Internet input cannot become a token for anyone (the method is simply not there).
 */
export class GitTokenConnectBackend extends GitTokenEntrypoint implements GitTokenConnectRpc {
  protected readonly entrypoint = "GitTokenConnectBackend";

  async getConnection(input: unknown): Promise<GetConnectionResult> {
    return this.call("getConnection", schemas.userIdInput, input, (deps, value) =>
      getConnection(deps, value.userId),
    );
  }

  async disconnectUser(input: unknown): Promise<DisconnectUserCallResult> {
    return this.call("disconnectUser", schemas.userIdInput, input, (deps, value) =>
      disconnectUser(deps, value.userId),
    );
  }

  /** Finishes the OAuth web flow here: the connect worker never holds the person's tokens. */
  async connectWithOAuthCode(input: unknown): Promise<StoreConnectionResult> {
    return this.call("connectWithOAuthCode", schemas.connectWithOAuthCodeInput, input, (deps, value) =>
      connectWithOAuthCode(deps, value),
    );
  }

  /** One poll of a device authorization; stores the connection on approval. */
  async completeDeviceAuthorization(input: unknown): Promise<CompleteDeviceAuthorizationResult> {
    return this.call(
      "completeDeviceAuthorization",
      schemas.completeDeviceAuthorizationInput,
      input,
      (deps, value) => completeDeviceAuthorization(deps, value),
    );
  }

  /** The install flow's Setup URL callback: claims only what the person's own token can see. */
  async claimInstallationAsUser(input: unknown): Promise<ClaimInstallationAsUserResult> {
    return this.call("claimInstallationAsUser", schemas.claimInstallationAsUserInput, input, (deps, value) =>
      claimInstallationAsUser(deps, value),
    );
  }

  /** The settings page shows where agents can work. */
  async listInstallationGrants(input: unknown): Promise<ListInstallationGrantsResult> {
    return this.call("listInstallationGrants", schemas.listInstallationGrantsInput, input, (deps, value) =>
      listInstallationGrants(deps, value.tenantId),
    );
  }

  /** The person revoked the App at GitHub (webhook): marks the connection once GitHub confirms. */
  async handleGrantRevoked(input: unknown): Promise<HandleGrantRevokedResult> {
    return this.call("handleGrantRevoked", schemas.handleGrantRevokedInput, input, (deps, value) =>
      handleGrantRevoked(deps, value.githubUserId),
    );
  }

  /** An installation changed (webhook): forgets cached tokens and lookups; a deletion ends its claims. */
  async forgetInstallation(input: unknown): Promise<ForgetInstallationResult> {
    return this.call("forgetInstallation", schemas.forgetInstallationInput, input, (deps, value) =>
      forgetInstallation(deps, value),
    );
  }
}
