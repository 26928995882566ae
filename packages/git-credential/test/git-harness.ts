/**
 * One end-to-end run's machinery, shared by the github.com run (e2e.test.ts) and the GHES + stateless
 * token run (e2e-ghes.test.ts): the suite (Postgres, simulator, workers), an https git server that accepts
 * only tokens the simulator calls valid, a scratch directory, and sandboxes whose clone the helper made.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SessionEvent } from "@gitcred/client/session-http";
import { afterAll, beforeAll } from "vitest";
import { createSelfSignedCert, type SelfSignedCert } from "../../../test-support/self-signed-cert.ts";
import { type GitServer, startGitServer } from "./git-server.ts";
import { type Suite, type SuiteOptions, startSuite } from "./start-suite.ts";
import {
  CLI,
  createServerRepo,
  type EventsAnswer,
  gitIn,
  must,
  prepareSession,
  type run,
  sandboxEnv,
  type World,
} from "./world.ts";

/** What a test file reads once `beforeAll` has run. */
export interface GitHarness extends ServedSuite {
  /** Directories the no-token-on-disk scan walks besides the workers' storage. */
  readonly clones: string[];
  /** A sandbox for one session: its own HOME, a clone made by the helper, git run in it. */
  sandbox(world: World): Promise<Sandbox>;
  /** The session's events, as the platform reads them. */
  events(world: World, sessionId: string): Promise<SessionEvent[]>;
}

export interface Sandbox {
  bare: string;
  dir: string;
  session: { sessionId: string; secret: string };
  git(...args: string[]): ReturnType<typeof run>;
  commit(message: string): ReturnType<typeof run>;
}

/** The suite and an https git server that accepts only tokens the simulator calls valid. */
export interface ServedSuite {
  readonly suite: Suite;
  readonly server: GitServer;
  readonly scratch: string;
  readonly tls: SelfSignedCert;
  /** The server's certificate as a file, for `GIT_SSL_CAINFO`. */
  readonly caFile: string;
}

/**
 * Starts a scratch directory, an https git server (a fresh self-signed certificate, the repositories under
 * `<scratch>/server`) and the suite in `beforeAll`, and stops them in `afterAll` (vitest hooks of the
 * calling file); a field read before then throws. The certificate names `certificateNames` (by default
 * localhost and 127.0.0.1); `suiteOptions` sees the server, for a suite that reaches it.
 */
export function useServedSuite(options: {
  scratchPrefix: string;
  certificateNames?: readonly string[];
  suiteOptions?: (server: GitServer, tls: SelfSignedCert) => SuiteOptions;
  onBody?: (service: string, bytes: number) => void;
}): ServedSuite {
  let suite: Suite | undefined;
  let server: GitServer | undefined;
  let scratch: string | undefined;
  let tls: SelfSignedCert | undefined;
  let caFile: string | undefined;
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the e2e harness is not started (beforeAll)");
    return value;
  };

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), options.scratchPrefix));
    const cert = createSelfSignedCert(options.certificateNames);
    tls = cert;
    caFile = join(scratch, "ca.pem");
    writeFileSync(caFile, cert.cert);
    server = await startGitServer({
      root: join(scratch, "server"),
      // The suite starts after the server (it may need the server's URL): bound when the check runs.
      checkToken: (token, owner, repo) => need(suite).sim.checkToken(token, owner, repo),
      tls: cert,
      ...(options.onBody === undefined ? {} : { onBody: options.onBody }),
    });
    suite = await startSuite(options.suiteOptions?.(server, cert) ?? {});
  });

  afterAll(async () => {
    await server?.close();
    await suite?.close();
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  });

  return {
    get suite() {
      return need(suite);
    },
    get server() {
      return need(server);
    },
    get scratch() {
      return need(scratch);
    },
    get tls() {
      return need(tls);
    },
    get caFile() {
      return need(caFile);
    },
  };
}

/** Starts everything in `beforeAll` and stops it in `afterAll` (vitest hooks of the calling file). */
export function useGitHarness(options: SuiteOptions = {}): GitHarness {
  const served = useServedSuite({
    scratchPrefix: "gitcred-e2e-",
    // The credential attacks' trap serves evil.example with the same certificate.
    certificateNames: ["localhost", "127.0.0.1", "evil.example"],
    suiteOptions: () => options,
  });
  const clones: string[] = [];
  return Object.assign(served, {
    clones,
    async sandbox(world: World): Promise<Sandbox> {
      const { suite, server } = served;
      const bare = createServerRepo(join(served.scratch, "server"), world);
      const session = await prepareSession(suite, world);
      const home = mkdtempSync(join(served.scratch, "home-"));
      const env = sandboxEnv(home, suite, session, { host: server.host, caFile: served.caFile });
      const dir = join(home, "work");
      await must(process.execPath, [CLI, "clone", `${server.url}/${world.owner}/${world.repo}.git`, dir], {
        env,
        cwd: home,
      });
      clones.push(dir);
      return { bare, dir, session, ...gitIn(dir, env) };
    },
    async events(world: World, sessionId: string): Promise<SessionEvent[]> {
      const result = await served.suite.rpc<EventsAnswer>("SESSION", "getEvents", {
        sessionId,
        userId: world.userId,
      });
      if (!result.ok) throw new Error(result.reason);
      return result.events;
    },
  });
}
