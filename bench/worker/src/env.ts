/**
 * The bench worker's bindings. It binds to gitcred's entrypoints exactly as a platform worker does
 * (service bindings with an entrypoint and `props.caller`), so every call it times is worker-to-worker
 * RPC as in production, and to its own KV namespace and the suite's Postgres for the latency floor.
 */
import type {
  ConnectRpc,
  GitTokenAdminRpc,
  GitTokenConnectRpc,
  GitTokenRpc,
  GitTokenSessionAuditRpc,
  SessionRpc,
} from "../../../packages/client/src/index.ts";
import type { BillCounts } from "./warp/counters.ts";

/** The time-warp entrypoint of a bench build of a gitcred worker (warp/clock.ts). */
export interface BenchClockRpc extends Rpc.WorkerEntrypointBranded {
  set(offsetMs: number): Promise<number>;
  counts(reset: boolean): Promise<BillCounts>;
}

export interface BenchEnv {
  GIT_TOKEN: Service<GitTokenRpc>;
  /** git-token as the connect worker binds it. */
  GIT_TOKEN_CONNECT: Service<GitTokenConnectRpc>;
  /** git-token as an operator's tool binds it. */
  GIT_TOKEN_ADMIN: Service<GitTokenAdminRpc>;
  /** git-token as the session worker's git proxy binds it (push records). */
  GIT_TOKEN_AUDIT: Service<GitTokenSessionAuditRpc>;
  SESSION: Service<SessionRpc>;
  CONNECT: Service<ConnectRpc & Rpc.WorkerEntrypointBranded>;
  /** The connect worker's public HTTP app (its default export). */
  CONNECT_HTTP: Fetcher;
  /** The session worker's sandbox HTTP API (its default export). */
  SESSION_HTTP: Fetcher;
  BENCH_KV: KVNamespace;
  BENCH_OBJECTS: DurableObjectNamespace<import("./bench-object.ts").BenchObject>;
  DATABASE_URL: string;
  DB_WS_PROXY: string;
  /** Present only when the suite runs the time-warp builds (P1). */
  CLOCK_GIT_TOKEN?: Service<BenchClockRpc>;
  CLOCK_SESSION?: Service<BenchClockRpc>;
  CLOCK_CONNECT?: Service<BenchClockRpc>;
}
