import { neonConfig, Pool, type PoolClient } from "@neondatabase/serverless";
import { drizzle, type NeonDatabase } from "drizzle-orm/neon-serverless";
import * as schema from "./schema.ts";

/** The settings every worker that talks to Postgres declares. */
export interface DatabaseEnv {
  DATABASE_URL?: string;
  /** `host:port` of a local WebSocket->TCP proxy; empty in production (Neon speaks WebSocket itself). */
  DB_WS_PROXY?: string;
}

export type Database = NeonDatabase<typeof schema>;

export interface DatabaseHandle {
  readonly db: Database;
  /** Ends the pool; hand it to `ctx.waitUntil` so the response is not held up. */
  close(): Promise<void>;
}

/** Raised for a missing or unusable setting; its message names the setting, never its value. */
export class DatabaseConfigError extends Error {
  override readonly name = "DatabaseConfigError";
}

let configuredProxy: string | undefined;
let guardedSockets = false;

/**
 * Opens the driver's WebSocket with a `send` that drops data once the socket is no longer open. The
 * driver coalesces writes in a timer; when the socket closed meanwhile (pool ended, connection cut),
 * workerd throws from that timer, an uncaught exception nothing can catch. The close itself already
 * reaches the driver as a `close` event, so the dropped bytes lose nothing.
 */
function GuardedWebSocket(url: string): WebSocket {
  const socket = new WebSocket(url);
  const send = socket.send.bind(socket);
  socket.send = (data) => {
    if (socket.readyState === WebSocket.OPEN) send(data);
  };
  return socket;
}

function guardSocketWrites(): void {
  if (guardedSockets || typeof WebSocket === "undefined") return;
  // `new GuardedWebSocket(url)` returns the socket it built: the driver only ever constructs it.
  neonConfig.webSocketConstructor = GuardedWebSocket as unknown as typeof WebSocket;
  guardedSockets = true;
}

function configureLocalProxy(proxy: string): void {
  if (configuredProxy === proxy) return;
  // neonConfig is per isolate; every worker of one deployment uses the same proxy, so setting it once is
  // safe. Pipelining is off because a plain Postgres behind the proxy does not speak Neon's shortcuts.
  neonConfig.wsProxy = (host, port) => `${proxy}/v2?address=${host}:${port}`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  neonConfig.pipelineConnect = false;
  configuredProxy = proxy;
}

/**
 * Opens a connection pool for one request. Workers must not share sockets across requests, so every
 * request (or Durable Object call) opens its own pool and ends it with `waitUntil(handle.close())`.
 * Errors of idle clients (a dropped connection) are reported to `onError` instead of crashing the
 * isolate with an unhandled error event.
 */
export function openDatabase(env: DatabaseEnv, onError: (error: unknown) => void = () => {}): DatabaseHandle {
  const url = env.DATABASE_URL;
  if (url === undefined || url === "") {
    throw new DatabaseConfigError("DATABASE_URL is not set (see .dev.vars.example)");
  }
  guardSocketWrites();
  if (env.DB_WS_PROXY !== undefined && env.DB_WS_PROXY !== "") configureLocalProxy(env.DB_WS_PROXY);
  const pool = new Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 10_000 });
  let closed: Promise<void> | undefined;
  // Ending the pool closes its sockets, and the driver reports each as "Network connection lost":
  // expected then, so only errors before close() reach the caller.
  const report = (error: unknown) => {
    if (closed === undefined) onError(error);
  };
  pool.on("error", report);
  pool.on("connect", (client: PoolClient) => {
    client.on("error", report);
  });
  return {
    db: drizzle({ client: pool, schema }),
    close: () => {
      closed ??= pool.end().catch(() => {});
      return closed;
    },
  };
}
