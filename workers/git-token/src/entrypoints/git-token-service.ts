import type {
  DisconnectUserCallResult,
  GetConnectionResult,
  GetInstallationTokenResult,
  GetTokenForRepoResult,
  GetUserTokenForRepoResult,
  GitTokenRpc,
  GrantInstallationResult,
  ListInstallationGrantsResult,
  PingResult,
  RevokeInstallationGrantResult,
} from "@gitcred/client";
import { parseInput } from "@gitcred/utils";
import { recordHandOut, recordsHandOut } from "../activity/record-hand-out.ts";
import { grantInstallation } from "../claims/grant-installation.ts";
import { listInstallationGrants } from "../claims/list-installation-grants.ts";
import { revokeInstallationGrant } from "../claims/revoke-installation-grant.ts";
import { disconnectUser } from "../connection/disconnect-user.ts";
import { getConnection } from "../connection/get-connection.ts";
import { DEFAULT_INSTALLATION_PERMISSIONS } from "../constants.ts";
import { getTokenForRepo, tokenForRepoFromMemory } from "../get-token-for-repo.ts";
import { getInstallationToken } from "../installation/get-installation-token.ts";
import * as schemas from "../schemas.ts";
import { getUserTokenForRepo } from "../user/get-user-token-for-repo.ts";
import { EntrypointCalls } from "./entrypoint-calls.ts";
import { GitTokenEntrypoint } from "./git-token-entrypoint.ts";

/**
 * GitTokenService: the agent platform's entrypoint (and the session worker's). Tokens for one
 * repository, the person's connection status, and the tenant's installation claims. The App's token
 * is handed out only to a tenant that claimed the installation, and never above `PERMISSION_CEILING`.
 * Never routed from the Internet: `fetch` answers 404.
 */
export class GitTokenService extends GitTokenEntrypoint implements GitTokenRpc {
  protected readonly calls = new EntrypointCalls(this.env, this.ctx, "GitTokenService");

  /**
   * Validates a getTokenForRepo input and returns: no dependencies built, nothing read or logged. The
   * floor `pnpm bench` divides the warm calls by (P2), so their ratio is what gitcred adds to the RPC.
   */
  async ping(input: unknown): Promise<PingResult> {
    const parsed = parseInput(schemas.getTokenForRepoInput, input);
    return parsed.ok ? { ok: true } : { ok: false, reason: "invalid_request", message: parsed.message };
  }

  /** The App's token for one repository (bot identity), for a tenant entitled to it. */
  async getInstallationToken(input: unknown): Promise<GetInstallationTokenResult> {
    return this.calls.call("getInstallationToken", schemas.getInstallationTokenInput, input, (deps, value) =>
      getInstallationToken(deps, {
        tenantId: value.tenantId,
        owner: value.owner,
        repo: value.repo,
        permissions: value.permissions ?? { ...DEFAULT_INSTALLATION_PERMISSIONS },
      }),
    );
  }

  /** The person's own token for one repository, after checking their access at GitHub. */
  async getUserTokenForRepo(input: unknown): Promise<GetUserTokenForRepoResult> {
    return this.calls.call("getUserTokenForRepo", schemas.getUserTokenForRepoInput, input, (deps, value) =>
      getUserTokenForRepo(deps, value),
    );
  }

  /** The person's token when it works, else the App's (entitled tenants only), with `fallbackReason`. */
  async getTokenForRepo(input: unknown): Promise<GetTokenForRepoResult> {
    const parsed = parseInput(schemas.getTokenForRepoInput, input);
    if (!parsed.ok) return parsed;
    const value = parsed.value;
    // A warm call with no hand-out to record is answered from memory before anything is set up for the
    // call (P2): the same function and checks the long way asks first. One made for a session records
    // its hand-out, which needs the call's dependencies.
    if (!recordsHandOut(value)) {
      const warm = this.calls.memoryOnly((memory) => tokenForRepoFromMemory(memory, value));
      if (warm !== undefined) return warm;
    }
    return this.calls.callParsed("getTokenForRepo", value, async (deps, asked) => {
      const result = tokenForRepoFromMemory(deps, asked) ?? (await getTokenForRepo(deps, asked));
      recordHandOut(deps, asked, result);
      return result;
    });
  }

  async getConnection(input: unknown): Promise<GetConnectionResult> {
    return this.calls.call("getConnection", schemas.userIdInput, input, (deps, value) =>
      getConnection(deps, value.userId),
    );
  }

  async disconnectUser(input: unknown): Promise<DisconnectUserCallResult> {
    return this.calls.call("disconnectUser", schemas.userIdInput, input, (deps, value) =>
      disconnectUser(deps, value.userId),
    );
  }

  /** Lets a tenant use the App on an installation the platform manages itself (audited). */
  async grantInstallation(input: unknown): Promise<GrantInstallationResult> {
    return this.calls.call("grantInstallation", schemas.installationGrantInput, input, (deps, value) =>
      grantInstallation(deps, value),
    );
  }

  /** Ends a tenant's claim at once in this isolate (audited). */
  async revokeInstallationGrant(input: unknown): Promise<RevokeInstallationGrantResult> {
    return this.calls.call("revokeInstallationGrant", schemas.installationGrantInput, input, (deps, value) =>
      revokeInstallationGrant(deps, value),
    );
  }

  async listInstallationGrants(input: unknown): Promise<ListInstallationGrantsResult> {
    return this.calls.call(
      "listInstallationGrants",
      schemas.listInstallationGrantsInput,
      input,
      (deps, value) => listInstallationGrants(deps, value.tenantId),
    );
  }
}
