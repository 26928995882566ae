/**
 * The measuring worker's Miniflare options and a typed way to call it from Node. It is bound to
 * gitcred's entrypoints as a platform worker would be, to its own KV namespace and to the suite's
 * Postgres; in a time-warp suite also to each worker's `BenchClock`.
 */
import { join } from "node:path";
import type { Miniflare, V4WorkerOptions } from "miniflare";
import { GIT_TOKEN_ROLE_BINDINGS } from "../../test-support/git-token-entrypoints.ts";

export const BENCH_WORKER = "gitcred-bench";

/** The measuring worker as a Miniflare worker, bound like a platform worker (and to the clocks when `warp`). */
export function benchWorkerOptions(options: {
  builtDir: string;
  databaseUrl: string;
  dbWsProxy: string;
  warp: boolean;
}): V4WorkerOptions {
  const caller = { caller: "gitcred-bench" };
  const clocks = options.warp
    ? {
        CLOCK_GIT_TOKEN: { name: "gitcred-git-token", entrypoint: "BenchClock" },
        CLOCK_SESSION: { name: "gitcred-session", entrypoint: "BenchClock" },
        CLOCK_CONNECT: { name: "gitcred-connect", entrypoint: "BenchClock" },
      }
    : {};
  return {
    name: BENCH_WORKER,
    modules: true,
    scriptPath: join(options.builtDir, "index.js"),
    modulesRoot: options.builtDir,
    compatibilityDate: "2026-10-01",
    compatibilityFlags: ["nodejs_compat"],
    kvNamespaces: { BENCH_KV: "BENCH_KV" },
    durableObjects: { BENCH_OBJECTS: { className: "BenchObject", useSQLite: true } },
    bindings: { DATABASE_URL: options.databaseUrl, DB_WS_PROXY: options.dbWsProxy },
    serviceBindings: {
      GIT_TOKEN: { name: "gitcred-git-token", entrypoint: "GitTokenService", props: caller },
      // The connect flows and the operator's methods live on their own entrypoints (as in production).
      ...GIT_TOKEN_ROLE_BINDINGS,
      SESSION: { name: "gitcred-session", entrypoint: "SessionService", props: caller },
      CONNECT: { name: "gitcred-connect", entrypoint: "ConnectService", props: caller },
      CONNECT_HTTP: { name: "gitcred-connect" },
      SESSION_HTTP: { name: "gitcred-session" },
      ...clocks,
    },
  } as V4WorkerOptions;
}

/** Calls `POST /<op>` on the measuring worker; throws with its message on anything but 200. */
export async function callBench<T>(mf: Miniflare, op: string, body: unknown): Promise<T> {
  const worker = await mf.getWorker(BENCH_WORKER);
  const res = await worker.fetch(`http://bench/${op}`, { method: "POST", body: JSON.stringify(body) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`bench worker /${op}: ${res.status} ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}
