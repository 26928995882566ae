/**
 * Types of the session worker's logic. The Durable Object class only wires these to its storage, its
 * alarm, its WebSockets and the git-token binding; everything that decides lives in plain modules that
 * take a `SessionDeps`.
 */
import type {
  GetConnectionResult,
  GetTokenForRepoInput,
  GetTokenForRepoResult,
  GitAuthor,
  RepoAccess,
  SessionEvent,
  SessionIdentityKind,
  SessionSnapshot,
  UserIdInput,
} from "@gitcred/client";
import type { Logger } from "@gitcred/utils";

/**
 * What the Durable Object stores: session facts only. Never a token, not even an encrypted one: tokens
 * are fetched from git-token when needed and held in memory (`TokenMemory`). It is the snapshot platforms
 * read (one declaration, in @gitcred/client), minus the trailers derived from `person`, plus what never
 * leaves the object.
 */
export interface SessionRecord extends Omit<SessionSnapshot, "commitTrailers"> {
  userId: string;
  /** The person the work is for, when their GitHub identity is known: co-author of the bot's commits. */
  person: GitAuthor | null;
  /** Lowercase hex SHA-256 of the sandbox's session secret. */
  secretSha256: string;
  /** `seq` of the newest event. */
  lastSeq: number;
}

/** The session's durable state. `save` writes the record and appends events in one atomic write. */
export interface SessionStore {
  load(): Promise<SessionRecord | undefined>;
  save(record: SessionRecord, events?: readonly SessionEvent[]): Promise<void>;
  /** Events with `seq > after`, oldest first, at most `limit`. */
  listEvents(after: number, limit: number): Promise<SessionEvent[]>;
  /** Forgets the session entirely (record, events, alarm). */
  destroy(): Promise<void>;
}

/** The part of GitTokenService the session uses. */
export interface GitTokenPort {
  getTokenForRepo(input: GetTokenForRepoInput): Promise<GetTokenForRepoResult>;
  getConnection(input: UserIdInput): Promise<GetConnectionResult>;
}

/** What GitHub says about a token that a git server refused. */
export type TokenCheck =
  /** GitHub accepts it with the access the session needs: the refusal was not about the token. */
  | { kind: "valid" }
  /** 401 Bad credentials: revoked or expired, for good. */
  | { kind: "revoked" }
  /** The token works but no longer reaches (or may not push to) the repository. */
  | { kind: "no_access" }
  | { kind: "transient"; reason: "github_unavailable" | "rate_limited"; retryAfterSeconds: number };

/**
 * Checks a refused person's token at GitHub. Needed because git-token hands out the token it has stored
 * until it nears expiry: after the person revoked the grant it would hand out the dead token again.
 */
export interface TokenVerifier {
  check(token: string, owner: string, repo: string, access: RepoAccess): Promise<TokenCheck>;
}

/** A token held in the object's memory (never written anywhere). */
export interface HeldToken {
  token: string;
  sha256: string;
  /** Epoch ms; null for a token without expiry. */
  expiresAt: number | null;
  identity: SessionIdentityKind;
}

/** The outcome of fetching a token, shared by every caller that waited for it. */
export type AcquireOutcome =
  | { ok: true; held: HeldToken; record: SessionRecord }
  | { ok: false; reason: string; message?: string; retryAfterSeconds?: number };

/** The outcome of one preparation attempt. */
export type AttemptOutcome =
  | { ok: true; record: SessionRecord }
  | { ok: false; transient: boolean; reason: string; message?: string; retryAfterSeconds?: number };

/** In-memory state of one session object: the current token and the work in flight, if any. */
export interface TokenMemory {
  held?: HeldToken | undefined;
  inFlight?: Promise<AcquireOutcome> | undefined;
  preparing?: Promise<AttemptOutcome> | undefined;
}

/** Everything the session logic needs from its surroundings. */
export interface SessionDeps {
  store: SessionStore;
  gitToken: GitTokenPort;
  verifier: TokenVerifier;
  memory: TokenMemory;
  now(): number;
  log: Logger;
  /** Pushes new events to live subscribers (WebSockets). Must not throw. */
  publish(events: readonly SessionEvent[]): void;
  /** Sets the object's single alarm. */
  scheduleAlarm(at: number): Promise<void>;
}

/** Who is asking: the platform over RPC (by user id) or the sandbox over HTTP (by session secret). */
export type Caller = { kind: "user"; userId: string } | { kind: "secret"; secretSha256: string };
