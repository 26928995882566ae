import { WorkerEntrypoint } from "cloudflare:workers";
import type {
  CompleteDeviceAuthorizationResult,
  DeleteUserDataCallResult,
  DisconnectUserCallResult,
  ForgetInstallationResult,
  GetConnectionResult,
  GetInstallationTokenResult,
  GetTokenForRepoResult,
  GetUserTokenForRepoResult,
  GitTokenCallerProps,
  GitTokenRpc,
  HandleGrantRevokedResult,
  StoreConnectionResult,
  WorkerHealth,
} from "@gitcred/client";
import { pingDatabase } from "@gitcred/db";
import { parseInput } from "@gitcred/utils";
import type * as z from "zod";
import { loadConfig } from "./config.ts";
import { completeDeviceAuthorization } from "./connection/complete-device-authorization.ts";
import { connectWithOAuthCode } from "./connection/connect-with-oauth-code.ts";
import { deleteUserData } from "./connection/delete-user-data.ts";
import { disconnectUser } from "./connection/disconnect-user.ts";
import { getConnection } from "./connection/get-connection.ts";
import { handleGrantRevoked } from "./connection/handle-grant-revoked.ts";
import { DEFAULT_INSTALLATION_PERMISSIONS } from "./constants.ts";
import { createDeps, type ServiceDeps } from "./deps.ts";
import { getTokenForRepo } from "./get-token-for-repo.ts";
import { forgetInstallation } from "./installation/forget-installation.ts";
import { getInstallationToken } from "./installation/get-installation-token.ts";
import { log } from "./log.ts";
import { runRpc } from "./rpc-boundary.ts";
import * as schemas from "./schemas.ts";
import { throughUserObject } from "./through-user-object.ts";
import { getUserTokenForRepo } from "./user/get-user-token-for-repo.ts";

export { UserTokenRefresher } from "./user-token-refresher.ts";

const CALLER = /^[A-Za-z0-9_.:-]{1,64}$/;

function toDate(value: string | null | undefined): Date | null {
  return value === undefined || value === null ? null : new Date(value);
}

/**
 * GitTokenService: the RPC surface other Workers bind to (`entrypoint = "GitTokenService"`, with
 * `props = { caller = "<worker>" }`). Each method validates its input, runs its logic with per-call
 * dependencies and returns a discriminated union; nothing is thrown across RPC. It is never routed from
 * the Internet: `fetch` answers 404 so an accidental route exposes nothing.
 */
export class GitTokenService extends WorkerEntrypoint<Env, GitTokenCallerProps> implements GitTokenRpc {
  /** The calling worker from the binding's props; only a short id-like string is believed. */
  private caller(): string {
    const caller = (this.ctx.props as GitTokenCallerProps | undefined)?.caller;
    return typeof caller === "string" && CALLER.test(caller) ? caller : "unknown";
  }

  /** Validates `input`, then runs `body` with fresh dependencies inside the RPC boundary. */
  private async call<S extends z.ZodType, R>(
    method: string,
    schema: S,
    input: unknown,
    body: (deps: ServiceDeps, value: z.output<S>) => Promise<R>,
  ): Promise<
    R | { ok: false; reason: "invalid_request" | "internal_error" | "database_unavailable"; message?: string }
  > {
    const caller = this.caller();
    const logger = log.child({ caller, method });
    const parsed = parseInput(schema, input);
    if (!parsed.ok) return parsed;
    return runRpc(logger, method, async () => {
      const { deps, finish } = createDeps(this.env, {
        caller,
        logger,
        now: Date.now,
        waitUntil: (p) => this.ctx.waitUntil(p),
        ...throughUserObject(this.env.USER_TOKEN_REFRESHER, caller),
      });
      try {
        return await body(deps, parsed.value as z.output<S>);
      } finally {
        finish();
      }
    });
  }

  /**
   * Liveness for the suite's /healthz: this worker and its database (`ok`), plus whether its settings
   * are usable (reported, so a missing key or App shows up on /healthz without taking the suite down).
   */
  async health(): Promise<WorkerHealth> {
    const database = await pingDatabase(this.env, (p) => this.ctx.waitUntil(p));
    const config = loadConfig(this.env);
    const usable = (p: Promise<unknown>, bad: string) =>
      p.then(
        () => "ok",
        () => bad,
      );
    return {
      worker: "gitcred-git-token",
      ok: database.ok,
      database: database.ok ? "ok" : database.reason,
      encryptionKeys: await usable(config.keyring, "missing_or_invalid"),
      githubApp:
        config.app === undefined
          ? "not_configured"
          : await usable(config.app.privateKey, "invalid_private_key"),
      oauthClient: config.oauth === undefined ? "not_configured" : "ok",
      userTokens: config.userTokensEnabled ? "enabled" : "disabled",
    };
  }

  /** The App's token for one repository (bot identity); see `getInstallationToken` in installation/. */
  async getInstallationToken(input: unknown): Promise<GetInstallationTokenResult> {
    return this.call("getInstallationToken", schemas.getInstallationTokenInput, input, (deps, value) =>
      getInstallationToken(deps, {
        owner: value.owner,
        repo: value.repo,
        permissions: value.permissions ?? { ...DEFAULT_INSTALLATION_PERMISSIONS },
      }),
    );
  }

  /** The person's own token for one repository, after checking their access. */
  async getUserTokenForRepo(input: unknown): Promise<GetUserTokenForRepoResult> {
    return this.call("getUserTokenForRepo", schemas.getUserTokenForRepoInput, input, (deps, value) =>
      getUserTokenForRepo(deps, value),
    );
  }

  /** The person's token when it works, else the App's, with `fallbackReason`. */
  async getTokenForRepo(input: unknown): Promise<GetTokenForRepoResult> {
    return this.call("getTokenForRepo", schemas.getTokenForRepoInput, input, (deps, value) =>
      getTokenForRepo(deps, value),
    );
  }

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

  async deleteUserData(input: unknown): Promise<DeleteUserDataCallResult> {
    return this.call("deleteUserData", schemas.userIdInput, input, (deps, value) =>
      deleteUserData(deps, value.userId),
    );
  }

  /** Stores a connection from tokens the connect worker received (device flow driven elsewhere). */
  async storeConnection(input: unknown): Promise<StoreConnectionResult> {
    return this.call("storeConnection", schemas.storeConnectionInput, input, (deps, value) =>
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

  /** The person revoked the App at GitHub (webhook): marks the connection once GitHub confirms. */
  async handleGrantRevoked(input: unknown): Promise<HandleGrantRevokedResult> {
    return this.call("handleGrantRevoked", schemas.handleGrantRevokedInput, input, (deps, value) =>
      handleGrantRevoked(deps, value.githubUserId),
    );
  }

  /** An installation changed (webhook): forgets cached tokens and lookups of it. */
  async forgetInstallation(input: unknown): Promise<ForgetInstallationResult> {
    return this.call("forgetInstallation", schemas.forgetInstallationInput, input, (deps, value) =>
      forgetInstallation(deps, value.installationId),
    );
  }

  override async fetch(): Promise<Response> {
    return new Response("Not found", { status: 404 });
  }
}

export default GitTokenService;
