/**
 * The three gitcred workers in ONE Miniflare, wired exactly as `pnpm dev` wires them (their wrangler
 * configs: service bindings, Durable Objects, KV), on 127.0.0.1, against a given Postgres and GitHub
 * simulator — plus the platform stand-in (platform-worker.ts) behind a small Node HTTP front, and any
 * extra workers a caller adds (the benchmark's measuring worker). Shared by the Node-side end-to-end
 * tests (start-suite.ts, a vitest globalSetup), the reliability run and `pnpm bench`, so all three
 * exercise one wiring instead of three copies of it.
 */
import { createServer, type Server } from "node:http";
import { convertV4MiniflareOptions, Miniflare, NoOpLog, type V4WorkerOptions } from "miniflare";
import { type AuxiliaryWorkerName, auxiliaryWorker } from "./auxiliary-worker.ts";
import { freePort } from "./free-port.ts";
import { platformWorker } from "./platform-worker.ts";

/** The GitHub App the workers are configured with (as seeded in the simulator). */
export interface SuiteApp {
  id: string;
  slug: string;
  clientId: string;
  clientSecret: string;
  /** PKCS#1 or PKCS#8 PEM. */
  privateKeyPem: string;
}

export interface SuiteOptions {
  /** DATABASE_URL as the workers get it (reached through the WebSocket proxy). */
  databaseUrl: string;
  /** `host:port` of the WebSocket->TCP proxy (DB_WS_PROXY). */
  dbWsProxy: string;
  /** Origin of the GitHub simulator (API and web). */
  simUrl: string;
  /** GITHUB_API_URL when it is not `simUrl`: the simulator's `<origin>/api/v3` in its GHES flavor. */
  githubApiUrl?: string;
  /** GITHUB_WEB_URL when it is not `simUrl`. */
  githubWebUrl?: string;
  app: SuiteApp;
  tokenEncryptionKeys: string;
  /** The connect worker's GITHUB_WEBHOOK_SECRET; default "suite-webhook-secret". */
  webhookSecret?: string;
  /** Port of the connect worker (the public one); default a free one. */
  port?: number;
  /** Bundle directory (holding index.js) per worker; default each worker's own `dist/`. */
  builds?: Partial<Record<AuxiliaryWorkerName, string>>;
  /** More workers in the same runtime, e.g. one bound to the suite's entrypoints. */
  extraWorkers?: V4WorkerOptions[];
  /** Keep KV and Durable Object storage in this directory (scanned for secrets afterwards). */
  persistDir?: string;
  /** Receives every structured log line of every worker instead of the console. */
  onLog?: (line: string) => void;
  /** Opens workerd's V8 inspector on this port (CPU profiles of the workers: `pnpm bench --profile`). */
  inspectorPort?: number;
  /**
   * Where the session worker's git proxy forwards (`GITHUB_GIT_URL`: a test's https git server) and the
   * certificate it must trust there (its `GITHUB_GIT` binding: the network; workerd checks certificates
   * as any client does). Absent: the proxy's default upstream, unused by these runs.
   */
  sessionGit?: { url: string; trustedCertificate: string };
}

export interface RunningSuite {
  /** Origin of the connect worker, e.g. http://127.0.0.1:41234 */
  publicUrl: string;
  /** Origin of the platform stand-in's Node front: `POST /rpc/<binding>/<method>`. */
  platformUrl: string;
  /** Origin of the session worker's HTTP API on a port of its own (what sandboxes get as GITCRED_SESSION_URL). */
  sessionUrl: string;
  webhookSecret: string;
  /** The runtime, for `getWorker(name)` and Miniflare's own controls. */
  mf: Miniflare;
  close(): Promise<void>;
}

/** Serves a worker (reached with `Fetcher.fetch`) on a Node HTTP port, so Node code can call it. */
async function nodeFront(fetcher: Awaited<ReturnType<Miniflare["getWorker"]>>): Promise<Server> {
  const front: Server = createServer(async (req, res) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const answer = await fetcher.fetch(`http://platform${req.url ?? "/"}`, {
        method: req.method ?? "GET",
        ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
        headers: { "content-type": "application/json" },
      });
      res.writeHead(answer.status, {
        "content-type": answer.headers.get("content-type") ?? "text/plain",
      });
      res.end(Buffer.from(await answer.arrayBuffer()));
    } catch (error) {
      res.writeHead(502, { "content-type": "text/plain" });
      res.end(`platform front: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
  return front;
}

/** The session worker's name in its wrangler config. */
const SESSION_WORKER = "gitcred-session";

/**
 * The session worker served on a port of its own as well (its HTTP API, for the git helper and
 * sandboxes), and with the git proxy's upstream when a run has one: `GITHUB_GIT` becomes the network,
 * trusting the run's certificate. Its other bindings stay its config's.
 */
function sessionWorker(
  worker: ReturnType<typeof auxiliaryWorker>,
  git: SuiteOptions["sessionGit"],
): ReturnType<typeof auxiliaryWorker> & { unsafeDirectSockets: { host: string; port: number }[] } {
  const served = { ...worker, unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }] };
  if (git === undefined) return served;
  const network = {
    network: {
      allow: ["public", "private", "local"],
      tlsOptions: { trustedCertificates: [git.trustedCertificate] },
    },
  };
  return { ...served, serviceBindings: { ...(worker.serviceBindings ?? {}), GITHUB_GIT: network } };
}

/** Starts the suite; resolves once every worker is up. */
export async function startSuite(options: SuiteOptions): Promise<RunningSuite> {
  const port = options.port ?? (await freePort());
  const publicUrl = `http://127.0.0.1:${port}`;
  const webhookSecret = options.webhookSecret ?? "suite-webhook-secret";
  const githubApiUrl = options.githubApiUrl ?? options.simUrl;
  const shared = {
    DATABASE_URL: options.databaseUrl,
    DB_WS_PROXY: options.dbWsProxy,
    GITHUB_API_URL: githubApiUrl,
    GITHUB_WEB_URL: options.githubWebUrl ?? options.simUrl,
    GITHUB_APP_ID: options.app.id,
    GITHUB_APP_SLUG: options.app.slug,
    GITHUB_CLIENT_ID: options.app.clientId,
    GITHUB_CLIENT_SECRET: options.app.clientSecret,
    TOKEN_ENCRYPTION_KEYS: options.tokenEncryptionKeys,
    ENABLE_GITHUB_USER_TOKENS: "true",
  };
  const builds = options.builds ?? {};
  const workers = [
    auxiliaryWorker(
      "connect",
      { ...shared, PUBLIC_URL: publicUrl, GITHUB_WEBHOOK_SECRET: webhookSecret },
      builds.connect,
    ),
    auxiliaryWorker(
      "git-token",
      { ...shared, GITHUB_APP_PRIVATE_KEY: options.app.privateKeyPem },
      builds["git-token"],
    ),
    sessionWorker(
      auxiliaryWorker(
        "session",
        {
          GITHUB_API_URL: githubApiUrl,
          ENABLE_GITHUB_USER_TOKENS: "true",
          ...(options.sessionGit === undefined ? {} : { GITHUB_GIT_URL: options.sessionGit.url }),
        },
        builds.session,
      ),
      options.sessionGit,
    ),
    platformWorker,
    ...(options.extraWorkers ?? []),
  ] as V4WorkerOptions[];
  const onLog = options.onLog;
  const mf = new Miniflare({
    ...convertV4MiniflareOptions({
      host: "127.0.0.1",
      port,
      log: new NoOpLog(),
      workers,
      telemetry: { enabled: false },
      ...(options.persistDir === undefined ? {} : { resourcePersistencePath: options.persistDir }),
      ...(onLog === undefined ? {} : { handleStructuredLogs: (entry) => onLog(entry.message) }),
      ...(options.inspectorPort === undefined ? {} : { inspectorPort: options.inspectorPort }),
    }),
    enableDevRegistry: false,
  });
  let front: Server | undefined;
  let sessionUrl: string;
  try {
    await mf.ready;
    front = await nodeFront(await mf.getWorker(platformWorker.name));
    sessionUrl = (await mf.unsafeGetDirectURL(SESSION_WORKER)).origin;
  } catch (error) {
    await mf.dispose();
    throw error;
  }
  const address = front.address();
  const platformUrl = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`;
  const running = front;
  return {
    publicUrl,
    platformUrl,
    sessionUrl,
    webhookSecret,
    mf,
    close: async () => {
      running.closeAllConnections();
      await new Promise<void>((resolve) => running.close(() => resolve()));
      await mf.dispose();
    },
  };
}
