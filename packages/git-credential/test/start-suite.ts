/**
 * The whole suite for the Node-side end-to-end test: a fresh migrated Postgres, the GitHub simulator with
 * a seeded App, and the git-token and session workers (as built for deployment) in one Miniflare, plus a
 * small "platform" worker that calls SessionService and GitTokenService over service bindings exactly as
 * an agent platform's worker would. The session worker's HTTP API listens on a real port for the helper.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { convertV4MiniflareOptions, Miniflare, NoOpLog } from "miniflare";
import { toolCommand } from "../../../scripts/local/tool.ts";
import { auxiliaryWorker } from "../../../test-support/auxiliary-worker.ts";
import { startTestPostgres } from "../../../test-support/postgres.ts";
import {
  createSimAdmin,
  generateAppKeyPair,
  type SimAdmin,
  type StartOptions,
  startSimulator,
} from "../../github-sim/local/index.ts";

const ROOT = join(import.meta.dirname, "..", "..", "..");

/**
 * Bundles a worker as `wrangler deploy` would, into a directory of this run: other test projects build
 * into `workers/<name>/dist` while this one may be starting, and must not read a half-written bundle.
 */
function buildWorkerInto(name: "git-token" | "session", outdir: string): void {
  const [command, args] = toolCommand("wrangler", ["deploy", "--dry-run", "--outdir", outdir]);
  const result = spawnSync(command, args, {
    cwd: join(ROOT, "workers", name),
    encoding: "utf8",
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: "false",
      WRANGLER_SEND_ERROR_REPORTS: "false",
      DO_NOT_TRACK: "1",
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      WRANGLER_LOG: "warn",
    },
  });
  if (result.status !== 0) throw new Error(`building ${name} failed:\n${result.stdout}\n${result.stderr}`);
}

/** `auxiliaryWorker` with the bundle taken from `outdir`. */
function builtWorker(name: "git-token" | "session", outdir: string, bindings: Record<string, string>) {
  return { ...auxiliaryWorker(name, bindings), scriptPath: join(outdir, "index.js"), modulesRoot: outdir };
}

/**
 * The session worker with the git proxy's optional `GITHUB_GIT` binding: the network, trusting the test
 * git server's certificate (workerd checks certificates as any client does). Its other bindings stay.
 */
function withGitUpstream<W extends ReturnType<typeof builtWorker>>(
  worker: W,
  git: SuiteOptions["sessionGit"],
): W {
  if (git === undefined) return worker;
  const network = {
    network: {
      allow: ["public", "private", "local"],
      tlsOptions: { trustedCertificates: [git.trustedCertificate] },
    },
  };
  return { ...worker, serviceBindings: { ...(worker.serviceBindings ?? {}), GITHUB_GIT: network } };
}

const PLATFORM_SCRIPT = `
export default {
  async fetch(request, env) {
    const [, target, method] = new URL(request.url).pathname.split("/");
    const service =
      target === "session" ? env.SESSIONS : target === "git-token-connect" ? env.GIT_TOKEN_CONNECT : env.GIT_TOKEN;
    const result = await service[method](await request.json());
    return Response.json(result);
  },
};
`;

/** Which GitHub the simulator plays (github.com by default) and the installation token format. */
export type SuiteOptions = Pick<StartOptions, "flavor" | "tokenFormat"> & {
  /**
   * Where the session worker's git proxy forwards (`GITHUB_GIT_URL`: the test's https git server) and
   * the certificate it must trust for it (workerd checks certificates like any client).
   */
  sessionGit?: { url: string; trustedCertificate: string };
};

export interface Suite {
  /** Origin of the session worker's HTTP API (what sandboxes get as GITCRED_SESSION_URL). */
  sessionUrl: string;
  /** The workers' GITHUB_API_URL: the simulator's origin, or `<origin>/api/v3` as GHES. */
  githubApiUrl: string;
  sim: SimAdmin;
  appId: number;
  appSlug: string;
  appClientId: string;
  /** Calls `SessionService.<method>` or `GitTokenService.<method>` through a platform worker's bindings. */
  rpc<T>(target: "session" | "git-token" | "git-token-connect", method: string, input: unknown): Promise<T>;
  /** Every line the workers logged. */
  logs: string[];
  /** Where the workers keep Durable Object storage (scanned for tokens). */
  persistDir: string;
  close(): Promise<void>;
}

export async function startSuite(options: SuiteOptions = {}): Promise<Suite> {
  const closers: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer();
  };
  try {
    const postgres = await startTestPostgres({ label: "git-credential" });
    closers.push(() => postgres.close());
    const simulator = await startSimulator({
      ...(options.flavor === undefined ? {} : { flavor: options.flavor }),
      ...(options.tokenFormat === undefined ? {} : { tokenFormat: options.tokenFormat }),
    });
    closers.push(() => simulator.close());
    const sim = createSimAdmin(simulator.url);
    const keys = generateAppKeyPair();
    const app = await sim.seedApp({
      slug: "gitcred-e2e",
      publicKeyPem: keys.publicKeyPem,
      permissions: { contents: "write", metadata: "read" },
    });
    await sim.setSession({ autoApprove: "approve" });
    const buildDir = mkdtempSync(join(tmpdir(), "gitcred-e2e-build-"));
    closers.push(() => rmSync(buildDir, { recursive: true, force: true }));
    buildWorkerInto("git-token", join(buildDir, "git-token"));
    buildWorkerInto("session", join(buildDir, "session"));

    const persistDir = mkdtempSync(join(tmpdir(), "gitcred-e2e-state-"));
    closers.push(() => rmSync(persistDir, { recursive: true, force: true }));
    const logs: string[] = [];
    const github = { GITHUB_API_URL: simulator.apiUrl, GITHUB_WEB_URL: simulator.webUrl };
    const mf = new Miniflare({
      ...convertV4MiniflareOptions({
        workers: [
          withGitUpstream(
            builtWorker("session", join(buildDir, "session"), {
              ...github,
              ...(options.sessionGit === undefined ? {} : { GITHUB_GIT_URL: options.sessionGit.url }),
            }),
            options.sessionGit,
          ),
          builtWorker("git-token", join(buildDir, "git-token"), {
            ...github,
            GITHUB_APP_ID: String(app.id),
            GITHUB_APP_SLUG: app.slug,
            GITHUB_CLIENT_ID: app.clientId,
            GITHUB_CLIENT_SECRET: app.clientSecret,
            GITHUB_APP_PRIVATE_KEY: keys.privateKeyPkcs1Pem,
            TOKEN_ENCRYPTION_KEYS: `e2e:${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64")}`,
            DATABASE_URL: postgres.databaseUrl,
            DB_WS_PROXY: postgres.wsProxy,
            ENABLE_GITHUB_USER_TOKENS: "true",
          }),
          {
            name: "platform",
            modules: true,
            script: PLATFORM_SCRIPT,
            compatibilityDate: "2026-10-01",
            serviceBindings: {
              SESSIONS: { name: "gitcred-session", entrypoint: "SessionService" },
              GIT_TOKEN: {
                name: "gitcred-git-token",
                entrypoint: "GitTokenService",
                props: { caller: "platform" },
              },
              // The person connects through the connect worker's entrypoint, as in production.
              GIT_TOKEN_CONNECT: {
                name: "gitcred-git-token",
                entrypoint: "GitTokenConnectBackend",
                props: { caller: "gitcred-connect" },
              },
            },
          },
        ],
        host: "127.0.0.1",
        port: 0,
        resourcePersistencePath: persistDir,
        log: new NoOpLog(),
        handleStructuredLogs: (entry) => {
          logs.push(entry.message);
        },
        telemetry: { enabled: false },
      } as Parameters<typeof convertV4MiniflareOptions>[0]),
      enableDevRegistry: false,
    });
    closers.push(() => mf.dispose());
    const sessionUrl = new URL(await mf.ready).origin;
    const platform = await mf.getWorker("platform");
    return {
      sessionUrl,
      githubApiUrl: simulator.apiUrl,
      sim,
      appId: app.id,
      appSlug: app.slug,
      appClientId: app.clientId,
      logs,
      persistDir,
      async rpc<T>(
        target: "session" | "git-token" | "git-token-connect",
        method: string,
        input: unknown,
      ): Promise<T> {
        const res = await platform.fetch(`http://platform/${target}/${method}`, {
          method: "POST",
          body: JSON.stringify(input),
        });
        if (!res.ok) throw new Error(`platform ${target}.${method}: ${res.status} ${await res.text()}`);
        return (await res.json()) as T;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
