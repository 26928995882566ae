/**
 * The RPC contract of `gitcred-session` (SessionService). An agent platform binds to it with
 * `Service<SessionRpc>`: it prepares a session for one person and one repository, then asks for git
 * credentials for as long as the session runs. Every method validates its input and returns one of these
 * unions instead of throwing (a thrown error loses its type across RPC). Dates are ISO-8601 strings.
 *
 * A session belongs to the user who prepared it: every call names `userId`, and another user's call gets
 * `not_found` (the same answer as for a session that does not exist).
 */
import type {
  CommonFailureReason,
  InstallationTokenFailureReason,
  PingResult,
  RepoAccess,
  RpcFailure,
} from "./git-token.ts";
import type { GitAuthor, SessionEvent, SessionFallbackReason, SessionIdentityKind } from "./session-http.ts";
import type { WorkerHealth } from "./types.ts";

export type SessionState = "preparing" | "ready" | "failed";

/** `now` prepares before answering; `background` answers at once and the session's alarm prepares it. */
export type PreparationMode = "now" | "background";

export interface PrepareSessionInput {
  /** The platform's id for the session (1–128 of [A-Za-z0-9_.:@-]); one Durable Object per id. */
  sessionId: string;
  userId: string;
  /**
   * The platform tenant the session works for (organisation, workspace, or the person's own id). The App's
   * token, with `prefer: "app"` or as the fallback, is used only when this tenant claimed the
   * repository's installation; without it the App path answers `no_entitlement`.
   */
  tenantId?: string;
  owner: string;
  repo: string;
  /** Defaults to `write`: an agent session pushes. */
  access?: RepoAccess;
  /** Defaults to `user`: the person's token when it works, else the App's. `app` uses the App's. */
  prefer?: "user" | "app";
  mode: PreparationMode;
  /**
   * How the sandbox's git reaches GitHub. `proxy`: through the session worker's git proxy
   * (`/git/<sessionId>/<owner>/<repo>.git`), which injects the token itself; the session secret then
   * fetches no token (`proxy_only` on `/credentials`). `token` (the default, the weaker mode): the
   * credential helper hands the sandbox the token. See README, "Sandbox setup".
   */
  sandboxGit?: SandboxGitMode;
  /** What pushes through the git proxy may change. Default: `DEFAULT_BRANCH_POLICY`'s values. */
  branchPolicy?: BranchPolicy;
}

/** `proxy`: the sandbox never holds a GitHub token; `token`: the helper hands it out (weaker). */
export type SandboxGitMode = "proxy" | "token";

/**
 * Which ref updates a push through the git proxy may make. The proxy reads the push's commands before
 * the pack and refuses the whole push (`ng <ref> <reason>`, which git prints) if one of them is not allowed.
 * The default: `allow: ["refs/heads/agent/*"]`, no deletions, never the repository's default branch.
 */
export interface BranchPolicy {
  /**
   * Ref patterns a push may create or update, each `refs/...`; `*` matches any run of characters
   * (slashes too), e.g. `refs/heads/agent/*`, `refs/heads/session-42/*`, `refs/tags/v*`. 1–20 patterns.
   */
  allow: string[];
  /** May a push delete a ref the patterns allow? Default false. */
  allowDeletions?: boolean;
  /** May a push update the repository's default branch when a pattern allows it? Default false. */
  allowDefaultBranch?: boolean;
}

export interface SessionRef {
  sessionId: string;
  userId: string;
}

/** What a session is, as the platform may show it. Never holds a token. */
export interface SessionSnapshot {
  sessionId: string;
  /** The tenant given at `prepareSession`; null when none was given. */
  tenantId: string | null;
  owner: string;
  repo: string;
  access: RepoAccess;
  prefer: "user" | "app";
  /** How the sandbox's git reaches GitHub (`proxy`: it never holds a token). */
  sandboxGit: SandboxGitMode;
  /** What pushes through the git proxy may change (defaults filled in). */
  branchPolicy: Required<BranchPolicy>;
  state: SessionState;
  /** Whose identity the session uses; null until prepared. */
  identity: SessionIdentityKind | null;
  /** The git author commits should carry; null until prepared. */
  author: GitAuthor | null;
  commitTrailers: string[];
  installationId: number | null;
  /** Expiry of the last token handed out (null: none yet, or one without expiry). */
  tokenExpiresAt: string | null;
  /** Why the session uses the App although the person's token was wanted. */
  fallbackReason?: SessionFallbackReason;
  /**
   * Set once the session switched from the person's token to the App's. It never switches back, except
   * from `sso_required`: once the person authorizes SAML SSO the next credential call is theirs again.
   */
  downgradedAt?: string;
  /** Set when `state` is `failed`. */
  failure?: { reason: string; message?: string };
  /** Background preparation progress. */
  preparation: { mode: PreparationMode; attempts: number; nextAttemptAt?: string };
  createdAt: string;
  updatedAt: string;
  /**
   * When the session ends however busy it is: `createdAt` plus the worker's absolute lifetime. Use does not
   * extend it; preparing the session again (a new secret) does not either.
   */
  expiresAt: string;
}

/** Reasons preparing a session (or using it) can fail with, beyond the common ones. */
export type SessionFailureReason =
  | CommonFailureReason
  | InstallationTokenFailureReason
  /** No such session for this user. */
  | "not_found"
  /** The session id is already used for another repository, access, preference or tenant. */
  | "session_conflict"
  /** The person cannot read (or push to) the repository: the App's token is never lent instead. */
  | "no_repo_access"
  /** The session is still being prepared in the background: retry after `retryAfterSeconds`. */
  | "not_ready"
  /** Preparation failed for good; `message` says why (the snapshot's `failure` too). */
  | "session_failed"
  /** The session was ended (`endSession`, `endSessionsForUser`): its secret and credentials are gone for good. */
  | "session_ended"
  /** The session outlived its absolute lifetime (`SESSION_LIFETIME_HOURS`, default 8 h), however often it was used. */
  | "session_expired"
  /** A `sandboxGit: "proxy"` session: the sandbox's secret reaches GitHub through the git proxy only, never a token. */
  | "proxy_only";

export type PrepareSessionResult =
  | {
      ok: true;
      session: SessionSnapshot;
      /**
       * The sandbox's credential for the session HTTP API. Returned once: only its SHA-256 is kept.
       * Preparing the same session again (same user, repository, access and preference) issues a new
       * secret and invalidates the previous one (event sockets opened with it are closed).
       */
      sessionSecret: string;
    }
  | RpcFailure<SessionFailureReason>;

export type GetSessionResult = { ok: true; session: SessionSnapshot } | RpcFailure<SessionFailureReason>;

/** A credential for the session's repository, valid for at least 10 more minutes. */
export interface GitCredentials {
  ok: true;
  token: string;
  /** null for a token GitHub issued without expiry. */
  expiresAt: string | null;
  identity: SessionIdentityKind;
  author: GitAuthor;
  commitTrailers: string[];
  /** True once the session switched to the App's token for the rest of its life. */
  downgraded: boolean;
}

export type GetGitCredentialsResult = GitCredentials | RpcFailure<SessionFailureReason>;

export interface RefreshGitHubTokenInput extends SessionRef {
  /** Why a new token is wanted: GitHub refused the token (`rejected`) or it is about to expire. */
  reason: "rejected" | "expiring";
  /** Lowercase hex SHA-256 of the token GitHub refused: a report about a replaced token changes nothing. */
  rejectedTokenSha256?: string;
}

export type RefreshGitHubTokenResult = GetGitCredentialsResult;

export interface GetEventsInput extends SessionRef {
  /** Only events with a larger `seq`. */
  after?: number;
  /** At most this many (default and maximum 200). */
  limit?: number;
}

export type GetEventsResult =
  | { ok: true; events: SessionEvent[]; lastSeq: number }
  | RpcFailure<SessionFailureReason>;

/** `endSession`: the session is over. Ending one that already ended (or expired) answers the same, once more. */
export type EndSessionResult =
  | {
      ok: true;
      endedAt: string;
      /** True when it had ended (or expired) before this call: nothing changed. */
      alreadyEnded: boolean;
    }
  | RpcFailure<"not_found" | "invalid_request" | "internal_error">;

export interface EndSessionsForUserInput {
  userId: string;
}

/** `endSessionsForUser`: how many of the user's sessions this call ended. */
export type EndSessionsForUserResult =
  | { ok: true; ended: number }
  | RpcFailure<"invalid_request" | "internal_error">;

/**
 * SessionService as consumers see it. Bind with
 * `[[services]] binding = "SESSION", service = "gitcred-session", entrypoint = "SessionService"` and type
 * the binding `Service<SessionRpc>`.
 */
export interface SessionRpc extends Rpc.WorkerEntrypointBranded {
  health(): Promise<WorkerHealth>;
  /** Validates a session reference and does nothing else: the cost of the RPC itself. */
  ping(input: SessionRef): Promise<PingResult>;
  /** Creates (or re-issues the secret of) a session and resolves its identity, now or in the background. */
  prepareSession(input: PrepareSessionInput): Promise<PrepareSessionResult>;
  getSession(input: SessionRef): Promise<GetSessionResult>;
  /** A token for the session's repository, refreshed or re-minted as needed. */
  getGitCredentials(input: SessionRef): Promise<GetGitCredentialsResult>;
  /** GitHub refused the token: retry the person's once, switch to the App's if it is gone for good. */
  refreshGitHubToken(input: RefreshGitHubTokenInput): Promise<RefreshGitHubTokenResult>;
  getEvents(input: GetEventsInput): Promise<GetEventsResult>;
  /**
   * Ends the session: forgets its credentials, closes its event sockets and invalidates its secret for
   * good (a later `prepareSession` with the same id answers `session_ended`). Idempotent.
   */
  endSession(input: SessionRef): Promise<EndSessionResult>;
  /** Ends every live session of the user ("end the sessions that use my identity"), as `endSession` does. */
  endSessionsForUser(input: EndSessionsForUserInput): Promise<EndSessionsForUserResult>;
}

/**
 * SessionConnect as the connect worker sees it: `health`, ending a person's sessions, and (local
 * development only) the sandbox's HTTP API through the binding's `fetch`. It has no method that prepares
 * or reads a session or returns a credential: the connect worker parses the Internet's input, so its
 * binding must not be a way to any person's token. Bind with `entrypoint = "SessionConnect"` and type
 * the binding `Service<SessionConnectRpc>`.
 */
export interface SessionConnectRpc extends Rpc.WorkerEntrypointBranded {
  health(): Promise<WorkerHealth>;
  /** Ends every live session of the user, as SessionRpc's `endSessionsForUser` does. */
  endSessionsForUser(input: EndSessionsForUserInput): Promise<EndSessionsForUserResult>;
}
