/**
 * A stand-in for the agent platform's own Worker: it binds to gitcred's workers exactly as a consumer
 * does (service bindings with an entrypoint and `props.caller`) and lets Node-side tests call their RPC
 * methods over HTTP: `POST /rpc/<CONNECT|GIT_TOKEN|SESSION>/<method>` with the JSON input as body.
 * It is test tooling, never deployed.
 */
import { ADMIN_METHODS, CONNECT_BACKEND_METHODS, GIT_TOKEN_ROLE_BINDINGS } from "./git-token-entrypoints.ts";

export const PLATFORM_WORKER_SCRIPT = `
const ALLOWED = new Set(["CONNECT", "GIT_TOKEN", "SESSION"]);
// git-token's methods by entrypoint: the stand-in calls each where its real caller would (the connect
// flows through the connect worker's entrypoint, erasure and token import through the operator's).
const CONNECT_BACKEND = new Set(${JSON.stringify(CONNECT_BACKEND_METHODS)});
const ADMIN = new Set(${JSON.stringify(ADMIN_METHODS)});
function target(env, binding, method) {
  if (binding !== "GIT_TOKEN") return env[binding];
  if (CONNECT_BACKEND.has(method)) return env.GIT_TOKEN_CONNECT;
  if (ADMIN.has(method)) return env.GIT_TOKEN_ADMIN;
  return env.GIT_TOKEN;
}
export default {
  async fetch(request, env) {
    const match = /^\\/rpc\\/([A-Z_]+)\\/([A-Za-z]+)$/.exec(new URL(request.url).pathname);
    if (request.method !== "POST" || match === null || !ALLOWED.has(match[1])) {
      return new Response("not found", { status: 404 });
    }
    const input = await request.json();
    const result = await target(env, match[1], match[2])[match[2]](input);
    try {
      return Response.json(result);
    } finally {
      // A consumer releases what an RPC call returned once it has read it.
      result?.[Symbol.dispose]?.();
    }
  },
};
`;

export const platformWorker = {
  name: "gitcred-test-platform",
  modules: true,
  script: PLATFORM_WORKER_SCRIPT,
  compatibilityDate: "2026-10-01",
  compatibilityFlags: ["nodejs_compat"],
  serviceBindings: {
    CONNECT: { name: "gitcred-connect", entrypoint: "ConnectService", props: { caller: "test-platform" } },
    GIT_TOKEN: {
      name: "gitcred-git-token",
      entrypoint: "GitTokenService",
      props: { caller: "test-platform" },
    },
    SESSION: { name: "gitcred-session", entrypoint: "SessionService", props: { caller: "test-platform" } },
    ...GIT_TOKEN_ROLE_BINDINGS,
  },
};

/** Calls an RPC method of one of gitcred's workers through the platform stand-in. */
export async function callRpc<T>(
  platformUrl: string,
  binding: "CONNECT" | "GIT_TOKEN" | "SESSION",
  method: string,
  input: unknown,
): Promise<T> {
  const res = await fetch(`${platformUrl}/rpc/${binding}/${method}`, {
    method: "POST",
    body: JSON.stringify(input),
    headers: { "content-type": "application/json" },
  });
  if (!res.ok) throw new Error(`${binding}.${method}: HTTP ${res.status}`);
  return (await res.json()) as T;
}
