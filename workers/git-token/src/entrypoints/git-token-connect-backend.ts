import type {
  ClaimInstallationAsUserResult,
  CompleteDeviceAuthorizationResult,
  DeleteUserDataCallResult,
  DisconnectUserCallResult,
  ForgetInstallationResult,
  GetConnectionResult,
  GitTokenConnectRpc,
  HandleGrantRevokedResult,
  ListActivityResult,
  ListInstallationCoverageResult,
  ListInstallationGrantsResult,
  StoreConnectionResult,
} from "@gitcred/client";
import { listActivity } from "../activity/list-activity.ts";
import { settleHandOuts } from "../activity/record-hand-out.ts";
import { claimInstallationAsUser } from "../claims/claim-installation-as-user.ts";
import { listInstallationCoverage } from "../claims/list-installation-coverage.ts";
import { listInstallationGrants } from "../claims/list-installation-grants.ts";
import { completeDeviceAuthorization } from "../connection/complete-device-authorization.ts";
import { connectWithOAuthCode } from "../connection/connect-with-oauth-code.ts";
import { deleteUserData } from "../connection/delete-user-data.ts";
import { disconnectUser } from "../connection/disconnect-user.ts";
import { getConnectionForPerson } from "../connection/get-connection-for-person.ts";
import { handleGrantRevoked } from "../connection/handle-grant-revoked.ts";
import { forgetInstallation } from "../installation/forget-installation.ts";
import * as schemas from "../schemas.ts";
import { EntrypointCalls } from "./entrypoint-calls.ts";
import { GitTokenEntrypoint } from "./git-token-entrypoint.ts";

/**
 * GitTokenConnectBackend: what the Internet-facing connect worker may call, and nothing more. No method
 * here returns a GitHub token, mints one, or stores tokens a caller supplies, so a bug in the worker that
 * parses Internet input cannot become a token for anyone (the method is simply not there).
 */
export class GitTokenConnectBackend extends GitTokenEntrypoint implements GitTokenConnectRpc {
  protected readonly calls = new EntrypointCalls(this.env, this.ctx, "GitTokenConnectBackend");

  async getConnection(input: unknown): Promise<GetConnectionResult> {
    return this.calls.call("getConnection", schemas.userIdInput, input, (deps, value) =>
      getConnectionForPerson(deps, value.userId),
    );
  }

  async disconnectUser(input: unknown): Promise<DisconnectUserCallResult> {
    return this.calls.call("disconnectUser", schemas.userIdInput, input, (deps, value) =>
      disconnectUser(deps, value.userId),
    );
  }

  /** Finishes the OAuth web flow here: the connect worker never holds the person's tokens. */
  async connectWithOAuthCode(input: unknown): Promise<StoreConnectionResult> {
    return this.calls.call("connectWithOAuthCode", schemas.connectWithOAuthCodeInput, input, (deps, value) =>
      connectWithOAuthCode(deps, value),
    );
  }

  /** One poll of a device authorization; stores the connection on approval. */
  async completeDeviceAuthorization(input: unknown): Promise<CompleteDeviceAuthorizationResult> {
    return this.calls.call(
      "completeDeviceAuthorization",
      schemas.completeDeviceAuthorizationInput,
      input,
      (deps, value) => completeDeviceAuthorization(deps, value),
    );
  }

  /** The install flow's Setup URL callback: claims only what the person's own token can see. */
  async claimInstallationAsUser(input: unknown): Promise<ClaimInstallationAsUserResult> {
    return this.calls.call(
      "claimInstallationAsUser",
      schemas.claimInstallationAsUserInput,
      input,
      (deps, value) => claimInstallationAsUser(deps, value),
    );
  }

  /** The settings page shows where agents can work. */
  async listInstallationGrants(input: unknown): Promise<ListInstallationGrantsResult> {
    return this.calls.call(
      "listInstallationGrants",
      schemas.listInstallationGrantsInput,
      input,
      (deps, value) => listInstallationGrants(deps, value.tenantId),
    );
  }

  /** The person revoked the App at GitHub (webhook): marks the connection once GitHub confirms. */
  async handleGrantRevoked(input: unknown): Promise<HandleGrantRevokedResult> {
    return this.calls.call("handleGrantRevoked", schemas.handleGrantRevokedInput, input, (deps, value) =>
      handleGrantRevoked(deps, value.githubUserId),
    );
  }

  /** An installation changed (webhook): forgets cached tokens and lookups; a deletion ends its claims. */
  async forgetInstallation(input: unknown): Promise<ForgetInstallationResult> {
    return this.calls.call("forgetInstallation", schemas.forgetInstallationInput, input, (deps, value) =>
      forgetInstallation(deps, value),
    );
  }

  /** The settings page's "where agents can work": claimed installations and what each covers (no token). */
  async listInstallationCoverage(input: unknown): Promise<ListInstallationCoverageResult> {
    return this.calls.call(
      "listInstallationCoverage",
      schemas.listInstallationCoverageInput,
      input,
      (deps, value) => listInstallationCoverage(deps, value.tenantId),
    );
  }

  /** The settings page's "what agents did as you": the person's own audit events, allow-listed fields. */
  async listActivity(input: unknown): Promise<ListActivityResult> {
    return this.calls.call("listActivity", schemas.listActivityInput, input, (deps, value) =>
      listActivity(deps, value),
    );
  }

  /**
   * "Delete my data" for the page session's own person. The connect worker names the user id from its
   * page session (a POST that passed the CSRF check); like `disconnectUser`, a bug there could destroy a
   * connection but never reveal a token: the erasure returns counts only. The rest of the operator's
   * entrypoint (storing tokens, claims migrations) stays out of connect's reach.
   */
  async deleteMyData(input: unknown): Promise<DeleteUserDataCallResult> {
    return this.calls.call("deleteMyData", schemas.userIdInput, input, async (deps, value) => {
      // A hand-out of the person still being written here would land after the erasure, unstripped.
      await settleHandOuts(deps);
      return deleteUserData(deps, value.userId);
    });
  }
}
