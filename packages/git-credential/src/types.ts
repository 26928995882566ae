/**
 * Types of the gitcred git credential helper. The helper talks to the session worker's HTTP API (see
 * @gitcred/client/session-http) with the session secret; it never writes a GitHub token anywhere.
 */
import type { GitAuthor, SessionIdentityKind } from "@gitcred/client/session-http";

/** Where the session is and how to prove we belong to it. */
export interface SessionConfig {
  /** Origin of the session worker's HTTP API, e.g. `https://sessions.example.com`. */
  apiUrl: string;
  sessionId: string;
  /** The session secret returned once by `prepareSession`. */
  secret: string;
  /**
   * The GitHub host (`host[:port]`, lowercase, no default port) whose git endpoint the helper answers for,
   * over https only: the session's token goes to no other host (`github.com` unless configured).
   */
  githubHost: string;
}

/** The identity commits must carry now, as the session reports it (or as last synced into git config). */
export interface CommitIdentity {
  identity: SessionIdentityKind;
  author: GitAuthor;
  commitTrailers: string[];
  downgraded: boolean;
}

/** An answer of the session API: the body, or why not (with when to try again). */
export type ApiResult<T> =
  | { ok: true; value: T }
  | { ok: false; status: number; reason: string; message: string; retryAfterSeconds?: number };

/** Environment variables the helper reads when no `--config` file is given. */
export const ENV = {
  url: "GITCRED_SESSION_URL",
  id: "GITCRED_SESSION_ID",
  secret: "GITCRED_SESSION_SECRET",
  /** The GitHub host for GitHub Enterprise Server (or a test's git server); `github.com` when unset. */
  githubHost: "GITCRED_GITHUB_HOST",
} as const;

/** The host the helper answers for when none is configured. */
export const DEFAULT_GITHUB_HOST = "github.com";
