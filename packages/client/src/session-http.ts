/**
 * The wire format of the session worker's small HTTP API, the one a sandbox reaches with its session
 * secret (`Authorization: Bearer <secret>`); the git credential helper (`packages/git-credential`) is its
 * client. Plain JSON; no Workers types here, so Node-side code can import this file.
 *
 * Routes (all under the session worker's origin):
 * - `POST /sessions/:id/credentials`          → `SessionCredentialsBody`
 * - `POST /sessions/:id/credentials/rejected` (`ReportRejectedBody`) → `SessionCredentialsBody`
 * - `GET  /sessions/:id/identity`             → `SessionIdentityBody`
 * - `GET  /sessions/:id/events[?after=N]`     → `SessionEventsBody`, or a WebSocket (`Upgrade: websocket`)
 *   that receives every new `SessionEvent` as one JSON text message.
 * Failures answer `SessionApiFailureBody` with a 4xx/5xx status (and `Retry-After` when transient). An
 * ended or expired session answers 401 with reason `session_ended` / `session_expired` on every route
 * (its event sockets are closed with code 4001); a body larger than 1 KiB answers 413 unread.
 */

/** Whose identity a session's commits and pushes carry. */
export type SessionIdentityKind = "user" | "app";

/** A git author/committer identity: `user.name` and `user.email`. */
export interface GitAuthor {
  name: string;
  email: string;
}

/** Why a session that wanted the person's token commits as the App's bot. */
export type SessionFallbackReason =
  /** ENABLE_GITHUB_USER_TOKENS is off. */
  | "disabled"
  /** The person has not connected GitHub. */
  | "not_connected"
  /** The person must reconnect GitHub (refresh token rejected or expired). */
  | "reconnect_required"
  /** GitHub rejected the person's token as a bad credential (the grant was revoked). */
  | "token_revoked"
  /**
   * The repository's organization enforces SAML SSO and the person has not authorized their token for
   * it: the platform sends them a settings link (the authorize URL is shown there only).
   */
  | "sso_required";

/** A fresh credential for the session's repository, valid for at least 10 more minutes. */
export interface SessionCredentialsBody {
  ok: true;
  /** The git username that goes with every token (GitHub accepts any; this is the documented one). */
  username: "x-access-token";
  token: string;
  /** ISO-8601; null for a token without expiry. */
  expiresAt: string | null;
  identity: SessionIdentityKind;
  author: GitAuthor;
  /** Trailers every commit message should end with, e.g. `Co-authored-by: Ada <1+ada@users.noreply.github.com>`. */
  commitTrailers: string[];
  /** True once the session switched from the person's token to the App's for the rest of its life. */
  downgraded: boolean;
}

/** What `POST /sessions/:id/credentials/rejected` takes: which token GitHub refused. */
export interface ReportRejectedBody {
  /** Lowercase hex SHA-256 of the rejected token: a report of an already replaced token changes nothing. */
  tokenSha256?: string;
}

/** The identity commits should carry now (no token). */
export interface SessionIdentityBody {
  ok: true;
  identity: SessionIdentityKind;
  author: GitAuthor;
  commitTrailers: string[];
  downgraded: boolean;
}

/** The kinds of entries in a session's event log. */
export type SessionEventType =
  | "preparation_scheduled"
  | "prepared"
  | "preparation_retry"
  | "failed"
  | "token_refreshed"
  | "credential_rejected"
  | "downgraded"
  /** A push through the git proxy was forwarded to GitHub (`refs`, `identity`, `repository`). */
  | "git_push"
  /** The git proxy refused a push by the branch policy (`refs`, `reason`): nothing reached GitHub. */
  | "git_push_refused";

/** One ref update a push asked for, as the git proxy read it: names and object ids, never a secret. */
export interface GitRefUpdate {
  ref: string;
  action: "create" | "update" | "delete";
  oldId: string;
  newId: string;
}

/** One entry of a session's event log. Never holds a token. */
export interface SessionEvent {
  /** 1, 2, 3, ... in the order the events happened. */
  seq: number;
  time: string;
  type: SessionEventType;
  level: "info" | "warning" | "error";
  /** A sentence for people (the platform may show it to the person). */
  message: string;
  identity?: SessionIdentityKind;
  /** A failure or downgrade reason code. */
  reason?: string;
  attempt?: number;
  retryAt?: string;
  expiresAt?: string | null;
  author?: GitAuthor;
  coAuthor?: GitAuthor;
  /** `owner/repo` a git proxy event is about. */
  repository?: string;
  /** The ref updates of a push through the git proxy. */
  refs?: GitRefUpdate[];
}

export interface SessionEventsBody {
  ok: true;
  events: SessionEvent[];
  /** Pass as `after` to read on from here. */
  lastSeq: number;
}

export interface SessionApiFailureBody {
  ok: false;
  reason: string;
  message?: string;
  retryAfterSeconds?: number;
}
