import type { WorkerHealth } from "@gitcred/client";
import type { Logger } from "@gitcred/utils";
import { credentialsMemo } from "../credentials/credentials-memo.ts";
import type { SessionEnv } from "../env.ts";
import { resolveGitBase } from "../proxy/forward-to-github.ts";
import { gitRefusal, handleGitProxy, routeRefusal } from "../proxy/handle-git-proxy.ts";
import { parseProxyRoute } from "../proxy/parse-proxy-route.ts";
import { recordPushAudit } from "../proxy/record-push-audit.ts";
import { handleSessionHttp } from "./http-api.ts";

/** A path segment as the routes decode it (as is when malformed: those routes answer 404 anyway). */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Liveness for the suite's /healthz: this worker and its link to git-token. */
export async function sessionHealth(env: SessionEnv): Promise<WorkerHealth> {
  const gitToken = await env.GIT_TOKEN.health().catch(() => undefined);
  return {
    worker: "gitcred-session",
    ok: gitToken?.ok === true,
    gitToken: gitToken === undefined ? "unreachable" : gitToken.ok ? "ok" : "unhealthy",
  };
}

/**
 * The sandbox's HTTP API (`/sessions/...`) and the git proxy (`/git/...`), both authenticated by the
 * session secret: what a sandbox reaches, whichever entrypoint took the request.
 */
export function serveSessionHttp(
  env: SessionEnv,
  ctx: ExecutionContext,
  request: Request,
  log: Logger,
): Promise<Response> {
  const url = new URL(request.url);
  // The sandbox's refusal reports and the git proxy's (an upstream 401) may change the session's
  // credentials: whatever this isolate remembers of a session named in the path goes first.
  const named = /^\/(?:sessions|git)\/([^/]+)\//.exec(url.pathname)?.[1];
  if (named !== undefined) credentialsMemo.forget(safeDecode(named));
  if (url.pathname.startsWith("/git/")) return gitProxy(env, ctx, request, url, log);
  return handleSessionHttp(request, env.SESSIONS);
}

/**
 * The git proxy lives here, in the stateless entrypoint, rather than in the session's object or a
 * worker of its own: the object answers one call per git request (secret, pin, policy, token), and the
 * bytes stream between git and GitHub in whichever isolate took the request, so no session's object
 * carries packs and its memory is not shared by them; a separate worker would need the session
 * secret check and the credentials over another binding, for nothing.
 */
async function gitProxy(
  env: SessionEnv,
  ctx: ExecutionContext,
  request: Request,
  url: URL,
  log: Logger,
): Promise<Response> {
  const route = parseProxyRoute(url, request.method);
  if (route === undefined) return gitRefusal(404, "gitcred: no such git proxy route");
  if (!("kind" in route)) return routeRefusal(route);
  let base: URL;
  try {
    base = resolveGitBase(env.GITHUB_GIT_URL, env.GITHUB_WEB_URL);
  } catch (error) {
    log.error("the git proxy is misconfigured", { error });
    return gitRefusal(500, "gitcred: the git proxy is misconfigured");
  }
  try {
    // An optional binding, so not in the generated Env: present only where a deployment binds it.
    const { GITHUB_GIT: fetcher } = env as SessionEnv & { GITHUB_GIT?: Fetcher };
    return await handleGitProxy(request, route, {
      base,
      fetcher,
      log,
      recordPush: (push) => ctx.waitUntil(recordPushAudit(env.GIT_TOKEN_AUDIT, push, log)),
      grant: (sessionId, secretSha256, ask) =>
        env.SESSIONS.get(env.SESSIONS.idFromName(sessionId)).gitProxy(secretSha256, ask),
    });
  } catch (error) {
    log.error("git proxy request failed", { error });
    return gitRefusal(503, "gitcred: the session is unavailable; try again", 2);
  }
}
