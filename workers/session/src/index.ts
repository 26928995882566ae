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
import { handleSessionHttp } from "./http/http-api.ts";
import { resolveGitBase } from "./proxy/forward-to-github.ts";
import { gitRefusal, handleGitProxy, routeRefusal } from "./proxy/handle-git-proxy.ts";
import { parseProxyRoute } from "./proxy/parse-proxy-route.ts";
import { recordPushAudit } from "./proxy/record-push-audit.ts";
import {
  getEventsSchema,
  prepareSessionSchema,
  refreshGitHubTokenSchema,
  sessionRefSchema,
  userRefSchema,
} from "./schemas.ts";
import { endSessionsForUser } from "./user-index/end-sessions-for-user.ts";
import type { UserSessionIndex } from "./user-index/user-session-index.ts";

export { CloudAgentSession } from "./cloud-agent-session.ts";
export { UserSessionIndex } from "./user-index/user-session-index.ts";

const log = createLogger({ worker: "gitcred-session" });

/** A path segment as the routes decode it (as is when malformed: those routes answer 404 anyway). */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
const UNAVAILABLE = {
  ok: false,
  reason: "internal_error",
  message: "the session is unavailable",
  retryAfterSeconds: 2,
} as const;

/**
 * SessionService: RPC for the agent platform (prepare a session, read it, get and refresh its git
 * credentials, read its events, end it or all of a user's), plus the small HTTP API sandboxes reach with their session secret.
 * Every method validates its input and answers a result union; nothing expected is thrown across RPC.
 */
export class SessionService extends WorkerEntrypoint<SessionEnv> {
  /** Liveness for the suite's /healthz: this worker and its link to git-token. */
  async health(): Promise<WorkerHealth> {
    const gitToken = await this.env.GIT_TOKEN.health().catch(() => undefined);
    return {
      worker: "gitcred-session",
      ok: gitToken?.ok === true,
      gitToken: gitToken === undefined ? "unreachable" : gitToken.ok ? "ok" : "unhealthy",
    };
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
    return this.call(prepareSessionSchema, input, async (stub, value) => {
      credentialsMemo.forget(value.sessionId);
      return stub.prepare(value);
    });
  }

  /** State, repository, identity kind, git author, token expiry, fallback reason. */
  getSession(input: unknown): Promise<GetSessionResult> {
    return this.call(sessionRefSchema, input, async (stub, value) =>
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
    return this.call(sessionRefSchema, input, async (stub) => {
      const reply = await stub.reusableCredentials({ kind: "user", userId });
      if (!("answer" in reply)) return reply;
      credentialsMemo.set(sessionId, userId, reply, Date.now(), begun);
      return reply.answer;
    });
  }

  /** GitHub refused the token: retry the person's once; downgrade to the App's only if it is gone for good. */
  refreshGitHubToken(input: unknown): Promise<RefreshGitHubTokenResult> {
    return this.call(refreshGitHubTokenSchema, input, async (stub, value) => {
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
    return this.call(getEventsSchema, input, async (stub, value) =>
      stub.events({ kind: "user", userId: value.userId }, value.after, value.limit),
    );
  }

  /**
   * Ends the session for good: credentials forgotten, event sockets closed, the secret invalid on every
   * route (a later `prepareSession` with the id answers `session_ended`). Idempotent.
   */
  endSession(input: unknown): Promise<EndSessionResult> {
    return this.call(sessionRefSchema, input, async (stub, value) => {
      credentialsMemo.forget(value.sessionId);
      return stub.end({ kind: "user", userId: value.userId });
    });
  }

  /** Ends every live session of the user: what "end the sessions that use my identity" needs. */
  async endSessionsForUser(input: unknown): Promise<EndSessionsForUserResult> {
    const parsed = parseInput(userRefSchema, input);
    if (!parsed.ok) return parsed;
    const { userId } = parsed.value;
    credentialsMemo.forgetUser(userId);
    const index = this.userIndex(userId);
    try {
      return await endSessionsForUser({
        index,
        endOne: (sessionId) =>
          this.env.SESSIONS.get(this.env.SESSIONS.idFromName(sessionId)).end(
            { kind: "user", userId },
            { markAbsent: true },
          ),
      });
    } catch (error) {
      log.error("session object call failed", { error });
      return UNAVAILABLE;
    }
  }

  /** The sandbox's HTTP API (`/sessions/...`) and the git proxy (`/git/...`), both by session secret. */
  override fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    // The sandbox's refusal reports and the git proxy's (an upstream 401) may change the session's
    // credentials: whatever this isolate remembers of a session named in the path goes first.
    const named = /^\/(?:sessions|git)\/([^/]+)\//.exec(url.pathname)?.[1];
    if (named !== undefined) credentialsMemo.forget(safeDecode(named));
    if (url.pathname.startsWith("/git/")) return this.gitProxy(request, url);
    return handleSessionHttp(request, this.env.SESSIONS);
  }

  /**
   * The git proxy lives here, in the stateless entrypoint, rather than in the session's object or a
   * worker of its own: the object answers one call per git request (secret, pin, policy, token), and the
   * bytes stream between git and GitHub in whichever isolate took the request, so no session's object
   * carries packs and its memory is not shared by them; a separate worker would need the session
   * secret check and the credentials over another binding, for nothing.
   */
  private async gitProxy(request: Request, url: URL): Promise<Response> {
    const route = parseProxyRoute(url, request.method);
    if (route === undefined) return gitRefusal(404, "gitcred: no such git proxy route");
    if (!("kind" in route)) return routeRefusal(route);
    let base: URL;
    try {
      base = resolveGitBase(this.env.GITHUB_GIT_URL, this.env.GITHUB_WEB_URL);
    } catch (error) {
      log.error("the git proxy is misconfigured", { error });
      return gitRefusal(500, "gitcred: the git proxy is misconfigured");
    }
    try {
      // An optional binding, so not in the generated Env: present only where a deployment binds it.
      const { GITHUB_GIT: fetcher } = this.env as SessionEnv & { GITHUB_GIT?: Fetcher };
      return await handleGitProxy(request, route, {
        base,
        fetcher,
        log,
        recordPush: (push) => this.ctx.waitUntil(recordPushAudit(this.env.GIT_TOKEN_AUDIT, push, log)),
        grant: (sessionId, secretSha256, ask) =>
          this.env.SESSIONS.get(this.env.SESSIONS.idFromName(sessionId)).gitProxy(secretSha256, ask),
      });
    } catch (error) {
      log.error("git proxy request failed", { error });
      return gitRefusal(503, "gitcred: the session is unavailable; try again", 2);
    }
  }

  /** The user's index of sessions (one object per user id). */
  private userIndex(userId: string): DurableObjectStub<UserSessionIndex> {
    return this.env.USER_SESSIONS.get(this.env.USER_SESSIONS.idFromName(userId));
  }

  /** Validates, finds the session's object and calls it; an unreachable object is a transient failure. */
  private async call<S extends z.ZodType<{ sessionId: string }>, R>(
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
