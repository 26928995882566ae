/**
 * The whole suite for the Node-side end-to-end tests and P6: a fresh migrated Postgres, the GitHub
 * simulator with a seeded App, and gitcred's three workers (as built for deployment) started by
 * test-support/suite.ts, the wiring `pnpm dev`, the reliability run and the benchmark share, with its
 * platform stand-in calling SessionService and GitTokenService over service bindings as an agent
 * platform's worker would. The session worker's HTTP API listens on a port of its own for the helper.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildWorker } from "../../../test-support/build-workers.ts";
import { callRpc } from "../../../test-support/platform-worker.ts";
import { startTestPostgres } from "../../../test-support/postgres.ts";
import { startSuite as startSharedSuite } from "../../../test-support/suite.ts";
import {
  createSimAdmin,
  generateAppKeyPair,
  type SimAdmin,
  type StartOptions,
  startSimulator,
} from "../../github-sim/local/index.ts";

/** The workers, each bundled into a directory of this run (no other run writes it while it loads). */
const WORKERS = ["connect", "git-token", "session"] as const;

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
  /**
   * Calls `SessionService.<method>`, or a git-token method on the entrypoint its real caller binds,
   * through the platform stand-in.
   */
  rpc<T>(binding: "SESSION" | "GIT_TOKEN", method: string, input: unknown): Promise<T>;
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
    for (const name of WORKERS) buildWorker(name, join(buildDir, name));

    const persistDir = mkdtempSync(join(tmpdir(), "gitcred-e2e-state-"));
    closers.push(() => rmSync(persistDir, { recursive: true, force: true }));
    const logs: string[] = [];
    const suite = await startSharedSuite({
      databaseUrl: postgres.databaseUrl,
      dbWsProxy: postgres.wsProxy,
      simUrl: simulator.url,
      githubApiUrl: simulator.apiUrl,
      githubWebUrl: simulator.webUrl,
      app: {
        id: String(app.id),
        slug: app.slug,
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        privateKeyPem: keys.privateKeyPkcs1Pem,
      },
      tokenEncryptionKeys: `e2e:${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64")}`,
      builds: Object.fromEntries(WORKERS.map((name) => [name, join(buildDir, name)])),
      persistDir,
      onLog: (line) => {
        logs.push(line);
      },
      ...(options.sessionGit === undefined ? {} : { sessionGit: options.sessionGit }),
    });
    closers.push(() => suite.close());
    return {
      sessionUrl: suite.sessionUrl,
      githubApiUrl: simulator.apiUrl,
      sim,
      appId: app.id,
      appSlug: app.slug,
      appClientId: app.clientId,
      logs,
      persistDir,
      rpc: <T>(binding: "SESSION" | "GIT_TOKEN", method: string, input: unknown) =>
        callRpc<T>(suite.platformUrl, binding, method, input),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
