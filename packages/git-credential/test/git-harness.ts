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
  must,
  prepareSession,
  run,
  sandboxEnv,
  type World,
} from "./world.ts";

/** What a test file reads once `beforeAll` has run. */
export interface GitHarness {
  readonly suite: Suite;
  readonly server: GitServer;
  readonly scratch: string;
  readonly tls: SelfSignedCert;
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

/** Starts everything in `beforeAll` and stops it in `afterAll` (vitest hooks of the calling file). */
export function useGitHarness(options: SuiteOptions = {}): GitHarness {
  let suite: Suite | undefined;
  let server: GitServer | undefined;
  let scratch: string | undefined;
  let tls: SelfSignedCert | undefined;
  let caFile = "";
  const clones: string[] = [];

  beforeAll(async () => {
    suite = await startSuite(options);
    scratch = mkdtempSync(join(tmpdir(), "gitcred-e2e-"));
    tls = createSelfSignedCert(["localhost", "127.0.0.1", "evil.example"]);
    caFile = join(scratch, "ca.pem");
    writeFileSync(caFile, tls.cert);
    const sim = suite.sim;
    server = await startGitServer({
      root: join(scratch, "server"),
      checkToken: (token, owner, repo) => sim.checkToken(token, owner, repo),
      tls,
    });
  });

  afterAll(async () => {
    await server?.close();
    await suite?.close();
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  });

  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the e2e harness is not started (beforeAll)");
    return value;
  };

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
    clones,
    async sandbox(world) {
      const s = need(suite);
      const git = need(server);
      const bare = createServerRepo(join(need(scratch), "server"), world);
      const session = await prepareSession(s, world);
      const home = mkdtempSync(join(need(scratch), "home-"));
      const env = sandboxEnv(home, s, session, { host: git.host, caFile });
      const dir = join(home, "work");
      await must(process.execPath, [CLI, "clone", `${git.url}/${world.owner}/${world.repo}.git`, dir], {
        env,
        cwd: home,
      });
      clones.push(dir);
      let n = 0;
      return {
        bare,
        dir,
        session,
        git: (...args: string[]) => run("git", args, { cwd: dir, env }),
        async commit(message: string) {
          n++;
          writeFileSync(join(dir, `file-${n}.txt`), `${message}\n`);
          await must("git", ["add", "."], { cwd: dir, env });
          return run("git", ["commit", "--quiet", "-m", message], { cwd: dir, env });
        },
      };
    },
    async events(world, sessionId) {
      const result = await need(suite).rpc<EventsAnswer>("session", "getEvents", {
        sessionId,
        userId: world.userId,
      });
      if (!result.ok) throw new Error(result.reason);
      return result.events;
    },
  };
}
