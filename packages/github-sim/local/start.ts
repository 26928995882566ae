/**
 * Runs the simulator worker in-process with Miniflare, behind a small Node HTTP front on 127.0.0.1.
 * The front forwards requests unchanged (streaming both ways) and turns the worker's network-error
 * answers (`x-github-sim-abort`) into a real dropped connection: the socket is destroyed before any
 * byte of the answer is written.
 */
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { convertV4MiniflareOptions, Miniflare, NoOpLog } from "miniflare";
import { GHES_API_PREFIX, type SimFlavor } from "../src/flavor.ts";
import { bundleWorker } from "./build.ts";

/** Header the worker sets on an injected network error (see src/faults.ts). */
const ABORT_HEADER = "x-github-sim-abort";

/** Options of `startSimulator`. */
export interface StartOptions {
  /** Port of the public front on 127.0.0.1; 0 (default) picks a free one. `pnpm dev` uses 8790. */
  port?: number;
  /** Directory to keep the simulator's state in across restarts; none keeps it in a temp dir. */
  persist?: string;
  /** Print the worker's console output. */
  verbose?: boolean;
  /**
   * `ghes` serves GitHub Enterprise Server's layout: the REST API under `/api/v3`, web, OAuth and
   * device pages at the root, App pages under `/github-apps`. Default `dotcom` (api.github.com's paths).
   */
  flavor?: SimFlavor;
  /** The installation token format until a test changes it (kept across resets). Default `classic`. */
  tokenFormat?: "classic" | "stateless" | "rollout";
}

/** A running simulator. */
export interface RunningSimulator {
  /** Origin of the simulator, e.g. `http://127.0.0.1:8790`: the web base, and where `/_sim` is. */
  url: string;
  /** What GITHUB_API_URL should be: the origin on github.com, `<origin>/api/v3` on GHES. */
  apiUrl: string;
  /** What GITHUB_WEB_URL should be: the origin. */
  webUrl: string;
  flavor: SimFlavor;
  /** Stops the front and the runtime. */
  close(): Promise<void>;
}

/** Starts the simulator; resolves once it answers. */
export async function startSimulator(options: StartOptions = {}): Promise<RunningSimulator> {
  const script = await bundleWorker();
  const mf = new Miniflare({
    ...convertV4MiniflareOptions({
      name: "gitcred-github-sim",
      modules: true,
      script,
      compatibilityDate: "2026-10-01",
      compatibilityFlags: ["nodejs_compat"],
      // The call log, counters and rate windows live in the object's memory: keep it resident.
      durableObjects: { SIM: { className: "SimState", useSQLite: true, unsafePreventEviction: true } },
      bindings: {
        GITHUB_SIM_FLAVOR: options.flavor ?? "dotcom",
        GITHUB_SIM_TOKEN_FORMAT: options.tokenFormat ?? "classic",
      },
      ...(options.persist ? { resourcePersistencePath: options.persist } : {}),
      host: "127.0.0.1",
      port: 0,
      log: new NoOpLog(),
      ...(options.verbose ? { verbose: true } : {}),
      telemetry: { enabled: false },
    }),
    enableDevRegistry: false,
  });
  const inner = new URL(await mf.ready);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const origin = `http://${req.headers.host ?? `127.0.0.1:${(server.address() as AddressInfo).port}`}`;
    const upstream = httpRequest(
      {
        host: inner.hostname,
        port: inner.port,
        method: req.method,
        path: req.url,
        agent,
        headers: { ...req.headers, host: inner.host, "x-github-sim-origin": origin },
      },
      (up) => {
        if (up.headers[ABORT_HEADER]) {
          up.destroy();
          req.socket.destroy();
          return;
        }
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        up.on("error", () => res.destroy());
      },
    );
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end("github-sim: runtime unavailable");
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const health = await fetch(`${url}/_sim/health`);
  if (!health.ok) throw new Error(`github-sim: health check answered ${health.status}`);
  const flavor = options.flavor ?? "dotcom";
  return {
    url,
    apiUrl: flavor === "ghes" ? `${url}${GHES_API_PREFIX}` : url,
    webUrl: url,
    flavor,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
      await mf.dispose();
    },
  };
}
