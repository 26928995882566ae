/**
 * The RPC contract of `gitcred-git-token` (GitTokenService). Consumers bind to it with
 * `Service<GitTokenRpc>` and switch on `ok` / `reason`; every method validates its input and returns one
 * of these unions instead of throwing (a thrown error loses its type across RPC).
 *
 * Everything here is plain data (structured clone): dates are ISO-8601 strings.
 */
import type {
  CompleteDeviceAuthorizationInput,
  CompleteDeviceAuthorizationResult,
  ConnectWithOAuthCodeInput,
  DeleteUserDataCallResult,
  DisconnectUserCallResult,
  ForgetInstallationInput,
  ForgetInstallationResult,
  GetConnectionResult,
  HandleGrantRevokedInput,
  HandleGrantRevokedResult,
  StoreConnectionInput,
  StoreConnectionResult,
  UserIdInput,
} from "./connection.ts";
import type {
  ClaimInstallationAsUserInput,
  ClaimInstallationAsUserResult,
  ClaimKnownInstallationsInput,
  ClaimKnownInstallationsResult,
  GrantInstallationResult,
  InstallationGrantInput,
  ListInstallationGrantsInput,
  ListInstallationGrantsResult,
  RevokeInstallationGrantResult,
} from "./installation-claims.ts";
import type {
  ListActivityInput,
  ListActivityResult,
  ListInstallationCoverageInput,
  ListInstallationCoverageResult,
} from "./settings-page.ts";
import type { WorkerHealth } from "./types.ts";

/** `props` a consumer sets on its service binding; recorded as the caller in audit events. */
export interface GitTokenCallerProps {
  caller?: string;
}

/** GitHub App permission levels as GitHub names them. */
export type PermissionLevel = "read" | "write" | "admin";

/** Permissions asked for an installation token, e.g. `{ contents: "write", metadata: "read" }`. */
export type InstallationPermissions = Record<string, PermissionLevel>;

/** What a caller wants to do with the repository. `write` requires push access. */
export type RepoAccess = "read" | "write";

/** Commit identity of the App's bot (`<botUserId>+<slug>[bot]@users.noreply.github.com`). */
export interface AppIdentity {
  kind: "app";
  slug: string;
  botUserId: number;
  /** `<slug>[bot]`: the name GitHub shows for the bot's commits. */
  name: string;
  email: string;
}

/** Commit identity of a person: GitHub's noreply address, never their private e-mail. */
export interface UserIdentity {
  kind: "user";
  githubUserId: number;
  login: string;
  /** The person's GitHub display name, or the login when they set none. */
  name: string;
  /** `<githubUserId>+<login>@users.noreply.github.com` */
  email: string;
}

export type GitIdentity = AppIdentity | UserIdentity;

/** Reasons every method may return. */
export type CommonFailureReason =
  /** The input failed validation; `message` says which field and rule (never echoing the value). */
  | "invalid_request"
  /** GitHub could not be reached, timed out or answered 5xx: retry after `retryAfterSeconds`. */
  | "github_unavailable"
  /** GitHub's rate limit: retry after `retryAfterSeconds`. */
  | "rate_limited"
  /** Postgres could not be reached: retry after `retryAfterSeconds`. */
  | "database_unavailable"
  /**
   * The person's connection kept changing while the call ran (concurrent refreshes, a reconnect): nothing
   * is wrong with GitHub or Postgres; retry after `retryAfterSeconds`.
   */
  | "busy"
  /** A bug or a misconfiguration on our side; `message` holds nothing secret. */
  | "internal_error";

/** A failed call. `retryAfterSeconds` is set for transient reasons. */
export interface RpcFailure<R extends string> {
  ok: false;
  reason: R;
  message?: string;
  retryAfterSeconds?: number;
  /** With `sso_required`: what the person must do (the platform tells them; the agent needs nothing). */
  personAction?: PersonAction;
}

// ---------------------------------------------------------------------------------------------------------
// getInstallationToken

export interface GetInstallationTokenInput {
  /**
   * The platform tenant asking (its organisation or workspace id, or a person's own user id). The App's
   * token is handed out only when that tenant claimed the repository's installation (`grantInstallation`
   * or the install flow through gitcred); otherwise `no_entitlement`.
   */
  tenantId: string;
  owner: string;
  repo: string;
  /**
   * Defaults to `{ contents: "write", metadata: "read" }`. Anything above the entitlement's permission
   * ceiling answers `permissions_not_granted` before GitHub is asked.
   */
  permissions?: InstallationPermissions;
}

export interface InstallationToken {
  ok: true;
  /** Valid for this one repository only, with exactly `permissions`. */
  token: string;
  expiresAt: string;
  installationId: number;
  permissions: InstallationPermissions;
  identity: AppIdentity;
}

export type InstallationTokenFailureReason =
  | CommonFailureReason
  /** The App is not installed on the repository (or the repository does not exist). */
  | "no_installation"
  | "installation_suspended"
  /**
   * The tenant has not claimed the installation that covers the repository (or gave no `tenantId`), or
   * the claim was revoked or the installation removed. No token; nothing was asked of GitHub for a token.
   */
  | "no_entitlement"
  /** Above the permission ceiling, or the installation was not granted the permissions asked for. */
  | "permissions_not_granted"
  /** GITHUB_APP_ID / GITHUB_APP_PRIVATE_KEY / GITHUB_APP_SLUG are missing or unusable. */
  | "app_not_configured"
  /**
   * GitHub says the repository was renamed or transferred (its old name redirects): no token for the
   * old name. `movedTo` is the new `owner/repo` where gitcred knows it; ask again with that name. Not
   * transient: retrying the old name gets the same answer.
   */
  | "repository_moved";

/** A failure of a repository-scoped call; `movedTo` only with `repository_moved`. */
export type RepositoryCallFailure<R extends string> = RpcFailure<R> & { movedTo?: string };

export type GetInstallationTokenResult =
  | InstallationToken
  | RepositoryCallFailure<InstallationTokenFailureReason>;

// ---------------------------------------------------------------------------------------------------------
// getUserTokenForRepo

export interface GetUserTokenForRepoInput {
  userId: string;
  owner: string;
  repo: string;
  /** Defaults to `read`. */
  access?: RepoAccess;
  /**
   * Lowercase hex SHA-256 of the person's token a git server just refused. When it is the token git-token
   * has stored, git-token asks GitHub about it before answering: a dead one is refreshed once or the
   * connection marked `reconnect_required`, so nobody is handed it again. A hash of an older token is
   * ignored (the current token is answered). Without it, a stored token is trusted until it nears expiry.
   */
  rejectedTokenSha256?: string;
}

export interface UserToken {
  ok: true;
  token: string;
  /** null for a token GitHub issued without expiry (the App does not expire user tokens). */
  expiresAt: string | null;
  identity: UserIdentity;
  /** The highest access the person has on the repository (at least what was asked). */
  access: RepoAccess;
}

/** Why the person's own token cannot be used at all (as opposed to "not for this repository"). */
export type UserTokenUnavailableReason =
  /** ENABLE_GITHUB_USER_TOKENS is off. */
  | "disabled"
  | "not_connected"
  /** The person must reconnect GitHub (refresh token rejected or expired, grant revoked). */
  | "reconnect_required";

export type UserTokenFailureReason =
  | CommonFailureReason
  | UserTokenUnavailableReason
  /** The person cannot read (or, for `write`, push to) the repository. Never falls back to the App. */
  | "no_repo_access"
  /**
   * The repository's organization enforces SAML SSO and the person has not authorized their token for it
   * (`organization` names it). Not "no access": the person must act — the platform delivers a settings
   * link (the authorize URL is shown there, to the person only) — and the same connection then works.
   */
  | "sso_required"
  /** As for the App's token: GitHub redirects the name (renamed, transferred); `movedTo` when known. */
  | "repository_moved";

export type GetUserTokenForRepoResult = UserToken | RepositoryCallFailure<UserTokenFailureReason>;

// ---------------------------------------------------------------------------------------------------------
// getTokenForRepo

export interface GetTokenForRepoInput {
  /** The person the work is for; without it the App's token is used (`fallbackReason: "no_user"`). */
  userId?: string;
  /**
   * The platform tenant the work is for. Needed for the App's token (see `GetInstallationTokenInput`);
   * without it a fallback to the App answers `no_entitlement`. The person's own token needs no tenant:
   * GitHub's own access check decides it.
   */
  tenantId?: string;
  owner: string;
  repo: string;
  /** Defaults to `read`. */
  access?: RepoAccess;
  /** Defaults to `user`: the person's token when it works. `app` skips the person entirely. */
  prefer?: "user" | "app";
  /** As in `GetUserTokenForRepoInput`; ignored without `userId` or with `prefer: "app"`. */
  rejectedTokenSha256?: string;
  /**
   * The agent session the credential is for. With `userId`, a hand-out is recorded in the person's
   * audit events (repository, session, identity; never the token), which their settings page shows as
   * "what agents did as you". Calls without it are not recorded, so the warm path reads no database.
   */
  sessionId?: string;
}

/** Why the App's token was handed out instead of the person's. */
export type FallbackReason = UserTokenUnavailableReason | "no_user" | "sso_required";

/**
 * Something only the person can do, said with a result so the platform can tell them (through a settings
 * link, never the agent): authorize their token for a SAML SSO organization.
 */
export interface PersonAction {
  kind: "sso_authorization";
  /** The organization's login. */
  organization: string;
}

export type TokenForRepo =
  | (Omit<UserToken, "ok"> & { ok: true; source: "user" })
  | (Omit<InstallationToken, "ok"> & {
      ok: true;
      source: "app";
      /** Set when the person's token was wanted but is unavailable; absent with `prefer: "app"`. */
      fallbackReason?: FallbackReason;
      /** With `fallbackReason: "sso_required"`: what the person must do to use their own token. */
      personAction?: PersonAction;
    });

export type GetTokenForRepoFailure = RepositoryCallFailure<
  InstallationTokenFailureReason | Exclude<UserTokenFailureReason, UserTokenUnavailableReason>
> & {
  /** When the App's token was tried because the person's was unavailable: why it was unavailable. */
  fallbackReason?: FallbackReason;
  /** With `sso_required` (as reason or fallback reason): what the person must do. */
  personAction?: PersonAction;
};

export type GetTokenForRepoResult = TokenForRepo | GetTokenForRepoFailure;

/** `ping`'s answer: the input was valid (nothing was read, minted or logged). */
export type PingResult = { ok: true } | RpcFailure<"invalid_request">;

// ---------------------------------------------------------------------------------------------------------

/**
 * GitTokenService as consumers see it. Bind with
 * `[[services]] binding = "GIT_TOKEN", service = "gitcred-git-token", entrypoint = "GitTokenService",
 * props = { caller = "<your worker>" }` and type the binding `Service<GitTokenRpc>`.
 */
export interface GitTokenRpc extends Rpc.WorkerEntrypointBranded {
  health(): Promise<WorkerHealth>;
  /** Validates a getTokenForRepo input and does nothing else: the cost of the RPC itself. */
  ping(input: GetTokenForRepoInput): Promise<PingResult>;
  /** Lets `tenantId` use the App on an installation it manages itself (audited). */
  grantInstallation(input: InstallationGrantInput): Promise<GrantInstallationResult>;
  /** Ends a tenant's claim; its cached App tokens are forgotten at once (audited). */
  revokeInstallationGrant(input: InstallationGrantInput): Promise<RevokeInstallationGrantResult>;
  listInstallationGrants(input: ListInstallationGrantsInput): Promise<ListInstallationGrantsResult>;
  /** The App's token for one repository (bot identity). */
  getInstallationToken(input: GetInstallationTokenInput): Promise<GetInstallationTokenResult>;
  /** The person's own token, after checking they can read (or push to) the repository. */
  getUserTokenForRepo(input: GetUserTokenForRepoInput): Promise<GetUserTokenForRepoResult>;
  /** The person's token when it works, else the App's (only when the person's token is unavailable). */
  getTokenForRepo(input: GetTokenForRepoInput): Promise<GetTokenForRepoResult>;
  getConnection(input: UserIdInput): Promise<GetConnectionResult>;
  /** Revokes the grant at GitHub (best effort) and deletes the connection. */
  disconnectUser(input: UserIdInput): Promise<DisconnectUserCallResult>;
}

/**
 * What the Internet-facing connect worker may call (`entrypoint = "GitTokenConnectBackend"`): only what
 * the settings page, the OAuth and device flows, the install flow and the webhooks need. No method here
 * returns a GitHub token, mints one for any permission or stores caller-supplied tokens, so a bug in the
 * one worker that parses Internet input cannot turn into a token for anyone.
 */
export interface GitTokenConnectRpc extends Rpc.WorkerEntrypointBranded {
  health(): Promise<WorkerHealth>;
  getConnection(input: UserIdInput): Promise<GetConnectionResult>;
  disconnectUser(input: UserIdInput): Promise<DisconnectUserCallResult>;
  connectWithOAuthCode(input: ConnectWithOAuthCodeInput): Promise<StoreConnectionResult>;
  completeDeviceAuthorization(
    input: CompleteDeviceAuthorizationInput,
  ): Promise<CompleteDeviceAuthorizationResult>;
  /** The install flow's Setup URL callback: claims after the person's own token shows the installation. */
  claimInstallationAsUser(input: ClaimInstallationAsUserInput): Promise<ClaimInstallationAsUserResult>;
  listInstallationGrants(input: ListInstallationGrantsInput): Promise<ListInstallationGrantsResult>;
  /** The person revoked the App at GitHub: marks their connection if GitHub confirms the token is dead. */
  handleGrantRevoked(input: HandleGrantRevokedInput): Promise<HandleGrantRevokedResult>;
  /** An installation changed: drops cached tokens and lookups of it (and its claims when deleted). */
  forgetInstallation(input: ForgetInstallationInput): Promise<ForgetInstallationResult>;
  /** The settings page's "where agents can work": the tenant's installations and their repositories. */
  listInstallationCoverage(input: ListInstallationCoverageInput): Promise<ListInstallationCoverageResult>;
  /** The settings page's "what agents did as you": the person's own audit events, paged, no secrets. */
  listActivity(input: ListActivityInput): Promise<ListActivityResult>;
  /**
   * The settings page's "delete my data", for the page session's own person: the same erasure as
   * `GitTokenAdmin.deleteUserData` (which connect does not bind). It can destroy but never reveal, like
   * `disconnectUser`: no token or secret is returned.
   */
  deleteMyData(input: UserIdInput): Promise<DeleteUserDataCallResult>;
}

/**
 * The operator's entrypoint (`entrypoint = "GitTokenAdmin"`): erasure, the claims migration, and storing
 * a connection from tokens obtained elsewhere. Bind it only to an operator's tool, never to a worker that
 * serves the Internet or runs agent code.
 */
export interface GitTokenAdminRpc extends Rpc.WorkerEntrypointBranded {
  health(): Promise<WorkerHealth>;
  /** Everything about the person gone (GDPR); audit events kept without personal data. */
  deleteUserData(input: UserIdInput): Promise<DeleteUserDataCallResult>;
  storeConnection(input: StoreConnectionInput): Promise<StoreConnectionResult>;
  /** The upgrade step for deployments from before claims existed (audited). */
  claimKnownInstallations(input: ClaimKnownInstallationsInput): Promise<ClaimKnownInstallationsResult>;
  grantInstallation(input: InstallationGrantInput): Promise<GrantInstallationResult>;
  revokeInstallationGrant(input: InstallationGrantInput): Promise<RevokeInstallationGrantResult>;
}
