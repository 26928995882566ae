/**
 * A WebSocket -> TCP byte proxy, so the Neon serverless driver (which speaks the Postgres protocol over a
 * WebSocket) can reach a plain Postgres locally. Neon runs its own in production; this is dev/test only.
 *
 * It only connects to loopback addresses: an open relay on a developer machine would be a hole.
 */
import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import { connect, type Socket } from "node:net";
import type { WebSocket, WebSocketServer as WebSocketServerClass } from "ws";

// Loaded through Node's own resolver: under Vite (vitest globalSetup next to the Workers plugin) the
// "browser" export condition would pick ws's browser stub, which has no server.
const { WebSocketServer } = createRequire(import.meta.url)("ws") as {
  WebSocketServer: typeof WebSocketServerClass;
};

export interface WsProxy {
  /** `host:port`, the value for the workers' `DB_WS_PROXY` setting. */
  readonly hostPort: string;
  close(): Promise<void>;
  /**
   * Connections opened since start and open now (the benchmark counts connections per operation; tests
   * in workerd read the same from `GET http://<hostPort>/stats`).
   */
  stats(): { opened: number; open: number };
  /**
   * Fault injection for the reliability run: cuts every open connection at once, as a network cut or a
   * crashed server would. Returns how many were cut.
   */
  dropAll(): number;
  /**
   * Fault injection: the next client message for which `matches` is true cuts its connection, either
   * before it reaches Postgres (`before`: the statement never runs) or right after (`after`: it runs, but
   * the answer never reaches the client). Resolves when it fired.
   */
  armDrop(rule: DropRule): Promise<void>;
}

/** A one-shot "cut the connection on this message" rule (see `WsProxy.armDrop`). */
export interface DropRule {
  matches: (message: Buffer) => boolean;
  when: "before" | "after";
}

interface ArmedDrop extends DropRule {
  fired: () => void;
}

const TERMINATE = Buffer.from([0x58, 0, 0, 0, 4]);
const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

function endsWithTerminate(data: Buffer): boolean {
  return data.length >= TERMINATE.length && data.subarray(data.length - TERMINATE.length).equals(TERMINATE);
}

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.isBuffer(data) ? data : Buffer.from(data);
}

function pipe(ws: WebSocket, socket: Socket, takeDrop: (bytes: Buffer) => ArmedDrop | undefined): void {
  let cut = false;
  const closeBoth = () => {
    socket.destroy();
    if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close();
  };
  ws.on("message", (data: Buffer | ArrayBuffer | Buffer[]) => {
    const bytes = toBuffer(data);
    if (cut) return;
    const drop = takeDrop(bytes);
    if (drop !== undefined) {
      cut = true;
      if (drop.when === "after") socket.write(bytes);
      // An abrupt cut on the client side (no close handshake), as a network failure looks.
      ws.terminate();
      // Give Postgres the statement's bytes before the socket goes (`after`), then let it notice.
      setTimeout(() => socket.destroy(), drop.when === "after" ? 200 : 0);
      drop.fired();
      return;
    }
    socket.write(bytes);
    // PGlite's socket server keeps the connection after Terminate; the client then waits forever in
    // pool.end(). Closing both sides on Terminate is what a real server does anyway.
    if (endsWithTerminate(bytes)) socket.end(() => closeBoth());
  });
  socket.on("data", (chunk) => {
    if (!cut && ws.readyState === ws.OPEN) ws.send(chunk);
  });
  socket.on("error", closeBoth);
  socket.on("close", closeBoth);
  ws.on("close", closeBoth);
  ws.on("error", closeBoth);
}

/** Starts the proxy on `port` (0 = any free port) on 127.0.0.1. */
export async function startWsProxy(port = 0): Promise<WsProxy> {
  let opened = 0;
  const server: Server = createServer((req, res) => {
    // Tests in the Workers pool cannot reach this object: they read the same counts over HTTP.
    if (req.method === "GET" && req.url === "/stats") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(stats()));
      return;
    }
    res.writeHead(426, { "content-type": "text/plain" }).end("WebSocket only\n");
  });
  const wss = new WebSocketServer({ server });
  const stats = () => ({ opened, open: wss.clients.size });
  const drops: ArmedDrop[] = [];
  const takeDrop = (bytes: Buffer): ArmedDrop | undefined => {
    const index = drops.findIndex((d) => d.matches(bytes));
    return index < 0 ? undefined : drops.splice(index, 1)[0];
  };
  wss.on("connection", (ws, req) => {
    const url = new URL(req.url ?? "/", "http://proxy");
    const address = url.searchParams.get("address") ?? "";
    const sep = address.lastIndexOf(":");
    const host = address.slice(0, sep);
    const targetPort = Number(address.slice(sep + 1));
    if (!LOOPBACK.has(host) || !Number.isInteger(targetPort) || targetPort <= 0) {
      ws.close(1008, "only loopback targets");
      return;
    }
    const socket = connect({ host: host.replace(/^\[|\]$/g, ""), port: targetPort });
    socket.setNoDelay(true);
    opened += 1;
    pipe(ws, socket, takeDrop);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const addr = server.address();
  if (addr === null || typeof addr === "string") throw new Error("ws proxy: no TCP address");
  return {
    hostPort: `127.0.0.1:${addr.port}`,
    stats,
    dropAll: () => {
      const clients = [...wss.clients];
      for (const client of clients) client.terminate();
      return clients.length;
    },
    armDrop: (rule) =>
      new Promise<void>((resolve) => {
        drops.push({ ...rule, fired: resolve });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
