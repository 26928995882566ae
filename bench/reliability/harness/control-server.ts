/**
 * The reliability run's control plane: the globalSetup owns the suite, the database proxy and server,
 * and the workers' log lines; test files (other processes) reach them over this loopback HTTP API.
 *   GET  /logs?from=N            log lines from index N, and the next index
 *   GET  /db/stats               proxy connection counts and fired drops
 *   POST /db/drop-all            cut every open Postgres connection
 *   POST /db/arm-drop            {contains, when: "before"|"after"}: cut the connection carrying the next
 *                                client message that contains `contains`
 *   POST /db/restart|stop|start  the private PostgreSQL server
 *   POST /bench/<op>             the measuring worker (fuzzing runs inside workerd)
 *   *    /session-http/...       the session worker's sandbox API (session-front.ts), for the git helper
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { Miniflare } from "miniflare";
import type { WsProxy } from "../../../packages/db/local/index.ts";
import type { PrivatePostgres } from "../../../test-support/private-postgres.ts";
import { callBench } from "../../lib/bench-worker.ts";
import { forwardToSession, SESSION_FRONT } from "./session-front.ts";

export interface ControlTargets {
  mf: Miniflare;
  proxy: WsProxy;
  server: PrivatePostgres | undefined;
  logs: string[];
}

async function body(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text === "" ? {} : JSON.parse(text);
}

/** Serves the control API on a free loopback port. */
export async function startControlServer(
  targets: ControlTargets,
): Promise<{ url: string; close(): Promise<void> }> {
  const fired: { contains: string; when: string; at: string }[] = [];
  const handle = async (req: IncomingMessage): Promise<unknown> => {
    const url = new URL(req.url ?? "/", "http://control");
    const path = url.pathname;
    if (req.method === "GET" && path === "/logs") {
      const from = Number(url.searchParams.get("from") ?? "0");
      return { lines: targets.logs.slice(from), next: targets.logs.length };
    }
    if (req.method === "GET" && path === "/db/stats") return { ...targets.proxy.stats(), fired };
    if (req.method !== "POST") throw new Error(`no route ${req.method} ${path}`);
    const input = await body(req);
    if (path === "/db/drop-all") return { dropped: targets.proxy.dropAll() };
    if (path === "/db/arm-drop") {
      const { contains, when } = input as { contains: string; when: "before" | "after" };
      void targets.proxy
        .armDrop({ matches: (bytes) => bytes.includes(contains), when })
        .then(() => fired.push({ contains, when, at: new Date().toISOString() }));
      return { armed: true };
    }
    if (path === "/db/restart" || path === "/db/stop" || path === "/db/start") {
      const server = targets.server;
      if (server === undefined) throw new Error("no private PostgreSQL server in this run");
      const started = performance.now();
      if (path === "/db/restart") server.restart();
      else if (path === "/db/stop") server.stop();
      else server.start();
      return { ms: Math.round(performance.now() - started) };
    }
    if (path.startsWith("/bench/")) return callBench(targets.mf, path.slice("/bench/".length), input);
    throw new Error(`no route POST ${path}`);
  };
  const server: Server = createServer((req, res) => {
    if ((req.url ?? "").startsWith(`${SESSION_FRONT}/`)) {
      void forwardToSession(targets.mf, req, res);
      return;
    }
    handle(req).then(
      (answer) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(answer));
      },
      (error: unknown) => {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end(error instanceof Error ? error.message : String(error));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
