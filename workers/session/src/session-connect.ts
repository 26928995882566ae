import { WorkerEntrypoint } from "cloudflare:workers";
import type { EndSessionsForUserResult, SessionConnectRpc, WorkerHealth } from "@gitcred/client";
import { createLogger } from "@gitcred/utils";
import type { SessionEnv } from "./env.ts";
import { serveSessionHttp, sessionHealth } from "./http/serve-session-http.ts";
import { endUserSessions } from "./user-index/end-user-sessions.ts";

const log = createLogger({ worker: "gitcred-session", entrypoint: "SessionConnect" });

/**
 * SessionConnect: the connect worker's binding to this worker, with what it uses and nothing more: the
 * suite's `/healthz`, ending a person's sessions (the settings page's "end my sessions" and erasure, for
 * the page session's own user) and, in local development, the sandbox's HTTP API passed through
 * unchanged (every route there is authenticated by a session secret, as when a sandbox calls this
 * worker). The connect worker parses the Internet's input; bound to SessionService it could prepare a
 * session for anyone and read its credentials, so a bug in it would have been any person's token. No
 * method here prepares or reads a session or returns a credential.
 */
export class SessionConnect extends WorkerEntrypoint<SessionEnv> implements SessionConnectRpc {
  health(): Promise<WorkerHealth> {
    return sessionHealth(this.env);
  }

  /** Ends every live session of the user, as SessionService's `endSessionsForUser` does. */
  endSessionsForUser(input: unknown): Promise<EndSessionsForUserResult> {
    return endUserSessions(this.env, input, log);
  }

  /** The sandbox's HTTP API and git proxy, by session secret (the connect worker's local-dev pass-through). */
  override fetch(request: Request): Promise<Response> {
    return serveSessionHttp(this.env, this.ctx, request, log);
  }
}
