import { WorkerEntrypoint } from "cloudflare:workers";
import type {
  EndSessionResult,
  EndSessionsForUserResult,
  GetEventsResult,
  GetGitCredentialsResult,
  GetSessionResult,
  PingResult,
  PrepareSessionResult,
  RefreshGitHubTokenResult,
  WorkerHealth,
} from "@gitcred/client";
import { createLogger, parseInput } from "@gitcred/utils";
import type * as z from "zod";
import type { CloudAgentSession } from "./cloud-agent-session.ts";
import { credentialsMemo } from "./credentials/credentials-memo.ts";
import type { SessionEnv } from "./env.ts";
import { serveSessionHttp, sessionHealth } from "./http/serve-session-http.ts";
import {
  getEventsSchema,
  prepareSessionSchema,
  refreshGitHubTokenSchema,
  sessionRefSchema,
} from "./schemas.ts";
import { endUserSessions, UNAVAILABLE } from "./user-index/end-user-sessions.ts";

export { CloudAgentSession } from "./cloud-agent-session.ts";
export { SessionConnect } from "./session-connect.ts";
export { UserSessionIndex } from "./user-index/user-session-index.ts";

const log = createLogger({ worker: "gitcred-session" });

/**
 * SessionService: RPC for the agent platform (prepare a session, read it, get and refresh its git
 * credentials, read its events, end it or all of a user's), plus the small HTTP API sandboxes reach with their session secret.
 * Every method validates its input and answers a result union; nothing expected is thrown across RPC.
 */
export class SessionService extends WorkerEntrypoint<SessionEnv> {
  /** Liveness for the suite's /healthz: this worker and its link to git-token. */
  health(): Promise<WorkerHealth> {
    return sessionHealth(this.env);
  }

  /**
   * Validates a session reference and returns: no object reached, nothing read or logged. The floor
   * `pnpm bench` divides getGitCredentials by (P2), so the ratio is what gitcred adds to the RPC.
   */
  async ping(input: unknown): Promise<PingResult> {
    const parsed = parseInput(sessionRefSchema, input);
    return parsed.ok ? { ok: true } : { ok: false, reason: "invalid_request", message: parsed.message };
  }

  /**
   * Creates the session and resolves its identity (`now`), or schedules that (`background`). The session's
   * object enters it in its user's index before writing anything of it, so `endSessionsForUser` can never
   * miss one being created.
   */
  prepareSession(input: unknown): Promise<PrepareSessionResult> {
    return this.#call(prepareSessionSchema, input, async (stub, value) => {
      credentialsMemo.forget(value.sessionId);
      return stub.prepare(value);
    });
  }

  /** State, repository, identity kind, git author, token expiry, fallback reason. */
  getSession(input: unknown): Promise<GetSessionResult> {
    return this.#call(sessionRefSchema, input, async (stub, value) =>
      stub.session({ kind: "user", userId: value.userId }),
    );
  }

  /**
   * A token valid for at least 10 more minutes, with the author and trailers commits must carry. A warm
   * answer comes from this isolate's memo for at most `CREDENTIALS_MEMO_MS` (the session's object says
   * what may be reused): every change made through this isolate drops it first, one made through another
   * isolate shows here within that bound (docs/ARCHITECTURE.md, the session worker).
   */
  async getGitCredentials(input: unknown): Promise<GetGitCredentialsResult> {
    const parsed = parseInput(sessionRefSchema, input);
    if (!parsed.ok) return parsed;
    const { sessionId, userId } = parsed.value;
    const memoized = credentialsMemo.get(sessionId, userId, Date.now());
    if (memoized !== undefined) return memoized;
    const begun = credentialsMemo.begin();
    return this.#call(sessionRefSchema, input, async (stub) => {
      const reply = await stub.reusableCredentials({ kind: "user", userId });
      if (!("answer" in reply)) return reply;
      credentialsMemo.set(sessionId, userId, reply, Date.now(), begun);
      return reply.answer;
    });
  }

  /** GitHub refused the token: retry the person's once; downgrade to the App's only if it is gone for good. */
  refreshGitHubToken(input: unknown): Promise<RefreshGitHubTokenResult> {
    return this.#call(refreshGitHubTokenSchema, input, async (stub, value) => {
      // The refused token must not be answered again from memory, here at once.
      credentialsMemo.forget(value.sessionId);
      return stub.refresh(
        { kind: "user", userId: value.userId },
        value.rejectedTokenSha256 === undefined
          ? { reason: value.reason }
          : { reason: value.reason, rejectedTokenSha256: value.rejectedTokenSha256 },
      );
    });
  }

  /** The session's event log after `after`. */
  getEvents(input: unknown): Promise<GetEventsResult> {
    return this.#call(getEventsSchema, input, async (stub, value) =>
      stub.events({ kind: "user", userId: value.userId }, value.after, value.limit),
    );
  }

  /**
   * Ends the session for good: credentials forgotten, event sockets closed, the secret invalid on every
   * route (a later `prepareSession` with the id answers `session_ended`). Idempotent.
   */
  endSession(input: unknown): Promise<EndSessionResult> {
    return this.#call(sessionRefSchema, input, async (stub, value) => {
      credentialsMemo.forget(value.sessionId);
      return stub.end({ kind: "user", userId: value.userId });
    });
  }

  /** Ends every live session of the user: what "end the sessions that use my identity" needs. */
  endSessionsForUser(input: unknown): Promise<EndSessionsForUserResult> {
    return endUserSessions(this.env, input, log);
  }

  /** The sandbox's HTTP API (`/sessions/...`) and the git proxy (`/git/...`), both by session secret. */
  override fetch(request: Request): Promise<Response> {
    return serveSessionHttp(this.env, this.ctx, request, log);
  }

  /** Validates, finds the session's object and calls it; an unreachable object is a transient failure. */
  async #call<S extends z.ZodType<{ sessionId: string }>, R>(
    schema: S,
    input: unknown,
    run: (stub: DurableObjectStub<CloudAgentSession>, value: z.infer<S>) => Promise<R>,
  ): Promise<R | typeof UNAVAILABLE | { ok: false; reason: "invalid_request"; message: string }> {
    const parsed = parseInput(schema, input);
    if (!parsed.ok) return parsed;
    const value = parsed.value as z.infer<S>;
    try {
      return await run(this.env.SESSIONS.get(this.env.SESSIONS.idFromName(value.sessionId)), value);
    } catch (error) {
      log.error("session object call failed", { error });
      return UNAVAILABLE;
    }
  }
}

export default SessionService;
