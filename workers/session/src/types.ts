/**
 * Types of the session worker's logic. The Durable Object class only wires these to its storage, its
 * alarm, its WebSockets and the git-token binding; everything that decides lives in plain modules that
 * take a `SessionDeps`.
 */
import type {
  BranchPolicy,
  GetConnectionResult,
  GetTokenForRepoInput,
  GetTokenForRepoResult,
  GitAuthor,
  RepoAccess,
  SandboxGitMode,
  SessionEvent,
  SessionIdentityKind,
  SessionSnapshot,
  UserIdInput,
} from "@gitcred/client";
import type { Logger } from "@gitcred/utils";

/**
 * What the Durable Object stores: session facts only. Never a token, not even an encrypted one: tokens
 * are fetched from git-token when needed and held in memory (`TokenMemory`). Never the person's name or
 * e-mail either (data minimisation, #13 §6): after `deleteUserData` nothing of them may remain here, so
 * their identity comes from git-token with each hand-out and stays in memory (`TokenMemory.person`). It
 * is the snapshot platforms read (one declaration, in @gitcred/client), minus what is derived (trailers,
 * the absolute expiry), plus what never leaves the object.
 */
export interface SessionRecord
  extends Omit<SessionSnapshot, "commitTrailers" | "expiresAt" | "sandboxGit" | "branchPolicy"> {
  /** Absent in records from before the git proxy: `token`. */
  sandboxGit?: SandboxGitMode;
  /** Absent: the default policy (`DEFAULT_BRANCH_POLICY`). */
  branchPolicy?: BranchPolicy;
  userId: string;
  /** Lowercase hex SHA-256 of the sandbox's session secret. */
  secretSha256: string;
  /**
   * Counts the secrets issued (0 for the first). Event sockets carry the generation they were opened
   * with, so rotating the secret closes the ones opened with an older secret. Absent in older records: 0.
   */
  secretGeneration?: number;
  /** `seq` of the newest event. */
  lastSeq: number;
}

/**
 * What an ended (or expired) session leaves: enough to answer `session_ended` / `session_expired` to its
 * owner and to the holder of its last secret, and to refuse re-preparing the id (no resurrection). No
 * credentials, no identity, no events. Deleted `ENDED_RETENTION_MS` after the end.
 */
export interface EndedSession {
  userId: string;
  reason: "ended" | "expired";
  endedAt: string;
  /** SHA-256 of the last secret, only to recognise it; it authorizes nothing any more. */
  secretSha256: string;
}

/** The session's durable state. `save` writes the record and appends events in one atomic write. */
export interface SessionStore {
  load(): Promise<SessionRecord | undefined>;
  save(record: SessionRecord, events?: readonly SessionEvent[]): Promise<void>;
  /** Events with `seq > after`, oldest first, at most `limit`. */
  listEvents(after: number, limit: number): Promise<SessionEvent[]>;
  /** Forgets the session entirely (record, events, alarm, any end marker). */
  destroy(): Promise<void>;
  /** The end marker of an ended session, if any (then `load` answers undefined). */
  loadEnded(): Promise<EndedSession | undefined>;
  /** Deletes everything of the session (record, events, alarm) and keeps `ended` alone, in one go. */
  end(ended: EndedSession): Promise<void>;
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
  /** The repository's default branch as GitHub names it with `token`; undefined when it cannot say now. */
  defaultBranch(token: string, owner: string, repo: string): Promise<string | undefined>;
}

/** A token held in the object's memory (never written anywhere). */
export interface HeldToken {
  token: string;
  sha256: string;
  /** Epoch ms; null for a token without expiry. */
  expiresAt: number | null;
  identity: SessionIdentityKind;
  /** The git author git-token named with this token (the person's or the bot's): memory only. */
  author: GitAuthor;
}

/** A refused token GitHub was asked about moments ago, and its verdict (see rejection-cooldown.ts). */
export interface SettledVerdict {
  at: number;
  verdict: "alive" | "no_access";
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
  /** The person's git identity as git-token last named it, and when (never stored; see person-of.ts). */
  person?: { author: GitAuthor | null; at: number } | undefined;
  /** Recent verdicts on refused tokens, by token hash: one settle per hash per window. */
  settled?: Map<string, SettledVerdict> | undefined;
  /** The repository's default branch and when GitHub named it (the git proxy's policy needs it). */
  defaultBranch?: { name: string; at: number } | undefined;
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
  /** The absolute session lifetime (`SESSION_LIFETIME_HOURS`), in ms. */
  lifetimeMs: number;
  /** GITHUB_API_URL: the person's noreply address follows its host (`users.noreply.<host>` on GHES). */
  githubApiUrl: string;
  /** Closes the event sockets, except those opened with secret generation `keep`. Must not throw. */
  closeSockets(keep?: number): void;
}

/**
 * Who is asking: the platform over RPC (by user id), the sandbox over HTTP (by session secret), or the
 * session worker's git proxy on the sandbox's behalf (by the secret git presented). Only the proxy may
 * take a token for a `sandboxGit: "proxy"` session: the sandbox itself never gets one.
 */
export type Caller =
  | { kind: "user"; userId: string }
  | { kind: "secret"; secretSha256: string }
  | { kind: "proxy"; secretSha256: string };
