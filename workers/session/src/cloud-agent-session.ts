import { DurableObject } from "cloudflare:workers";
import type {
  EndSessionResult,
  GetEventsResult,
  GetGitCredentialsResult,
  GetSessionResult,
  PrepareSessionResult,
  RefreshGitHubTokenInput,
  RefreshGitHubTokenResult,
  RpcFailure,
  SessionFailureReason,
  SessionIdentityBody,
} from "@gitcred/client";
import { createLogger } from "@gitcred/utils";
import type { ReusableCredentials } from "./credentials/credentials-memo.ts";
import { getGitCredentials } from "./credentials/get-git-credentials.ts";
import { gitTokenPort } from "./credentials/git-token-port.ts";
import { refreshGitHubToken } from "./credentials/refresh-github-token.ts";
import { reusableCredentials } from "./credentials/reusable-credentials.ts";
import { createTokenVerifier } from "./credentials/verify-token.ts";
import type { SessionEnv } from "./env.ts";
import { acceptEventSocket, closeEventSockets, publishEvents } from "./events/event-sockets.ts";
import { getEvents } from "./events/get-events.ts";
import { prepareSession } from "./preparation/prepare-session.ts";
import { type GitProxyGrant, type GitProxyRequest, grantGitProxy } from "./proxy/grant-git-proxy.ts";
import { authorizeCaller } from "./record/authorize-caller.ts";
import { endSession } from "./record/end-session.ts";
import { expireIfOver } from "./record/expire-if-over.ts";
import { getIdentity } from "./record/get-identity.ts";
import { getSession } from "./record/get-session.ts";
import { runSessionAlarm } from "./record/run-session-alarm.ts";
import { parseSessionLifetime } from "./record/session-deadline.ts";
import { createStorageStore } from "./record/session-store.ts";
import type { PrepareSessionParams } from "./schemas.ts";
import type { Caller, SessionDeps, TokenMemory } from "./types.ts";
import type { SessionExpiry } from "./user-index/expire-due-sessions.ts";

/** If an alarm run fails unexpectedly, try again after this long (the runtime's own retries are not relied on). */
const ALARM_ERROR_RETRY_MS = 30_000;

/**
 * One per agent session (named by the session id). It keeps session facts only — ids, repository,
 * installation id, identity kind, the bot's author, state, event log, the SHA-256 of the session secret —
 * and never a token, nor the person's name or e-mail: both come from git-token when needed and stay in
 * this object's memory. The logic lives in
 * plain modules that take `SessionDeps`; this class wires them to storage, alarm, WebSockets and git-token.
 * Its methods are called over RPC by SessionService only (inputs are validated there).
 */
export class CloudAgentSession extends DurableObject<SessionEnv> {
  private readonly memory: TokenMemory = {};
  private readonly deps: SessionDeps;

  constructor(ctx: DurableObjectState, env: SessionEnv) {
    super(ctx, env);
    const configured = env.GITHUB_API_URL?.trim();
    const apiUrl = configured === undefined || configured === "" ? "https://api.github.com" : configured;
    this.deps = {
      store: createStorageStore(ctx.storage),
      gitToken: gitTokenPort(env.GIT_TOKEN),
      verifier: createTokenVerifier({ apiUrl, webUrl: apiUrl, userAgent: "gitcred-session" }),
      memory: this.memory,
      now: Date.now,
      log: createLogger({ worker: "gitcred-session", object: ctx.id.toString() }),
      publish: (events) => publishEvents(ctx, events),
      scheduleAlarm: (at) => ctx.storage.setAlarm(at),
      lifetimeMs: parseSessionLifetime(env.SESSION_LIFETIME_HOURS),
      githubApiUrl: apiUrl,
      closeSockets: (keep) => closeEventSockets(ctx, keep),
    };
  }

  /**
   * Prepares the session; the object enters it in its user's index itself (`UserSessionIndex`), so a new
   * session can do that alongside fetching its token and still write nothing before the entry exists.
   */
  prepare(input: PrepareSessionParams): Promise<PrepareSessionResult> {
    const index = this.env.USER_SESSIONS.get(this.env.USER_SESSIONS.idFromName(input.userId));
    return prepareSession(this.deps, input, () =>
      index.add(input.sessionId, this.deps.now() + this.deps.lifetimeMs),
    );
  }

  session(caller: Caller): Promise<GetSessionResult> {
    return getSession(this.deps, caller);
  }

  credentials(caller: Caller): Promise<GetGitCredentialsResult> {
    return getGitCredentials(this.deps, caller);
  }

  /** `credentials`, with how long SessionService may reuse the answer (its per-isolate memo). */
  reusableCredentials(
    caller: Caller,
  ): Promise<ReusableCredentials | Exclude<GetGitCredentialsResult, { ok: true }>> {
    return reusableCredentials(this.deps, caller);
  }

  refresh(
    caller: Caller,
    input: Pick<RefreshGitHubTokenInput, "reason" | "rejectedTokenSha256">,
  ): Promise<RefreshGitHubTokenResult> {
    return refreshGitHubToken(this.deps, caller, input);
  }

  events(caller: Caller, after: number, limit: number): Promise<GetEventsResult> {
    return getEvents(this.deps, caller, after, limit);
  }

  identity(caller: Caller): Promise<SessionIdentityBody | RpcFailure<SessionFailureReason>> {
    return getIdentity(this.deps, caller);
  }

  /** Ends the session; `markAbsent` leaves an end marker even if it does not exist yet (`endSessionsForUser`). */
  end(caller: Caller, options: { markAbsent?: boolean } = {}): Promise<EndSessionResult> {
    return endSession(this.deps, caller, "ended", options);
  }

  /** Ends the session if its lifetime is over; its user's index asks when the entry's time has come. */
  expireIfOver(): Promise<SessionExpiry> {
    return expireIfOver(this.deps);
  }

  /** One git request through the git proxy: secret, repository, branch policy checked; the token to inject. */
  gitProxy(secretSha256: string, request: GitProxyRequest): Promise<GitProxyGrant> {
    return grantGitProxy(this.deps, secretSha256, request);
  }

  /** Whether `caller` may use the session, so the HTTP API reads a request body only after that. */
  async authorize(caller: Caller): Promise<{ ok: true } | RpcFailure<SessionFailureReason>> {
    const authorized = await authorizeCaller(this.deps, caller);
    return authorized.ok ? { ok: true } : authorized;
  }

  /** Background preparation (one attempt per alarm, retries scheduled by the attempt), then the idle check. */
  override async alarm(): Promise<void> {
    try {
      await runSessionAlarm(this.deps);
    } catch (error) {
      this.deps.log.error("session alarm failed", { error });
      await this.ctx.storage.setAlarm(Date.now() + ALARM_ERROR_RETRY_MS);
    }
  }

  /** Only the event WebSocket reaches this (SessionService forwards `GET /sessions/:id/events` upgrades). */
  override fetch(request: Request): Promise<Response> {
    return acceptEventSocket(this.ctx, this.deps, request);
  }

  override webSocketMessage(socket: WebSocket, message: string | ArrayBuffer): void {
    // Subscribers only listen; a "ping" gets a "pong" so clients can keep the connection alive.
    if (message === "ping") socket.send("pong");
  }

  override webSocketClose(socket: WebSocket, code: number): void {
    try {
      socket.close(code === 1005 || code === 1006 ? 1000 : code, "bye");
    } catch {
      // already closed
    }
  }

  override webSocketError(socket: WebSocket): void {
    try {
      socket.close(1011, "error");
    } catch {
      // already closed
    }
  }
}
