/**
 * The git proxy's end-to-end machinery: an https git server (accepting only tokens the simulator calls
 * valid) started first, so the session worker can be told to forward there (`GITHUB_GIT_URL`) and to
 * trust its certificate; the suite; and sandboxes cloned with `clone --proxy`, whose git never sees a
 * GitHub token.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { createSelfSignedCert } from "../../../test-support/self-signed-cert.ts";
import { type GitServer, startGitServer } from "./git-server.ts";
import { type Suite, startSuite } from "./start-suite.ts";
import { type Answer, CLI, createServerRepo, must, prepareSession, run, type World } from "./world.ts";

export interface ProxyBox {
  bare: string;
  dir: string;
  home: string;
  env: NodeJS.ProcessEnv;
  session: { sessionId: string; secret: string };
  /** `<session API>/git/<session>/<owner>/<repo>.git`. */
  proxyUrl: string;
  git(...args: string[]): ReturnType<typeof run>;
  commit(message: string, file?: string): ReturnType<typeof run>;
}

export interface ProxyHarness {
  readonly suite: Suite;
  readonly server: GitServer;
  readonly scratch: string;
  /** Every sandbox made (the canary scan walks their homes and reads their environments). */
  readonly boxes: ProxyBox[];
  /** Body bytes the git server received, per service, as they arrived. */
  onUpstreamBody: ((service: string, bytes: number) => void) | undefined;
  prepare(world: World, extra?: Record<string, unknown>): Promise<{ sessionId: string; secret: string }>;
  sandbox(world: World, extra?: Record<string, unknown>): Promise<ProxyBox>;
}

/** Starts the git server and the suite in `beforeAll`, stops them in `afterAll`. */
export function useProxyHarness(): ProxyHarness {
  let suite: Suite | undefined;
  let server: GitServer | undefined;
  let scratch: string | undefined;
  let caFile = "";
  const boxes: ProxyBox[] = [];
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the proxy harness is not started (beforeAll)");
    return value;
  };
  const harness: ProxyHarness = {
    get suite() {
      return need(suite);
    },
    get server() {
      return need(server);
    },
    get scratch() {
      return need(scratch);
    },
    boxes,
    onUpstreamBody: undefined,
    prepare(world, extra = {}) {
      return prepareSession(need(suite), world, { sandboxGit: "proxy", ...extra });
    },
    async sandbox(world, extra = {}) {
      const git = need(server);
      const bare = createServerRepo(join(need(scratch), "server"), world);
      const session = await harness.prepare(world, extra);
      const home = mkdtempSync(join(need(scratch), "home-"));
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        HOME: home,
        GIT_CONFIG_NOSYSTEM: "1",
        GIT_TERMINAL_PROMPT: "0",
        GIT_SSL_CAINFO: caFile,
        GITCRED_GITHUB_HOST: git.host,
        GITCRED_SESSION_URL: need(suite).sessionUrl,
        GITCRED_SESSION_ID: session.sessionId,
        GITCRED_SESSION_SECRET: session.secret,
      };
      const dir = join(home, "work");
      const url = `${git.url}/${world.owner}/${world.repo}.git`;
      await must(process.execPath, [CLI, "clone", "--proxy", url, dir], { env, cwd: home });
      let n = 0;
      const box: ProxyBox = {
        bare,
        dir,
        home,
        env,
        session,
        proxyUrl: `${need(suite).sessionUrl}/git/${session.sessionId}/${world.owner}/${world.repo}.git`,
        git: (...args: string[]) => run("git", args, { cwd: dir, env }),
        async commit(message, file) {
          n++;
          writeFileSync(join(dir, file ?? `file-${n}.txt`), `${message}\n`);
          await must("git", ["add", "."], { cwd: dir, env });
          return run("git", ["commit", "--quiet", "-m", message], { cwd: dir, env });
        },
      };
      boxes.push(box);
      return box;
    },
  };

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), "gitcred-proxy-e2e-"));
    const tls = createSelfSignedCert(["localhost", "127.0.0.1"]);
    caFile = join(scratch, "ca.pem");
    writeFileSync(caFile, tls.cert);
    server = await startGitServer({
      root: join(scratch, "server"),
      // The suite starts after the server (it needs the server's URL): bound when the check runs.
      checkToken: (token, owner, repo) => need(suite).sim.checkToken(token, owner, repo),
      tls,
      onBody: (service, bytes) => harness.onUpstreamBody?.(service, bytes),
    });
    suite = await startSuite({ sessionGit: { url: server.url, trustedCertificate: tls.cert } });
  });

  afterAll(async () => {
    await server?.close();
    await suite?.close();
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  });
  return harness;
}

export type { Answer };
