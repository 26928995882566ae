/**
 * The git proxy's end-to-end machinery: an https git server (accepting only tokens the simulator calls
 * valid) started first, so the session worker can be told to forward there (`GITHUB_GIT_URL`) and to
 * trust its certificate; the suite; and sandboxes cloned with `clone --proxy`, whose git never sees a
 * GitHub token.
 */
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { type ServedSuite, useServedSuite } from "./git-harness.ts";
import {
  type Answer,
  CLI,
  createServerRepo,
  gitIn,
  must,
  prepareSession,
  type run,
  sandboxEnv,
  type World,
} from "./world.ts";

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

export interface ProxyHarness extends ServedSuite {
  /** Every sandbox made (the canary scan walks their homes and reads their environments). */
  readonly boxes: ProxyBox[];
  /** Body bytes the git server received, per service, as they arrived. */
  onUpstreamBody: ((service: string, bytes: number) => void) | undefined;
  prepare(world: World, extra?: Record<string, unknown>): Promise<{ sessionId: string; secret: string }>;
  /** A sandbox cloned through the proxy; `env` adds to its environment (e.g. a PATH that logs git). */
  sandbox(world: World, extra?: Record<string, unknown>, env?: NodeJS.ProcessEnv): Promise<ProxyBox>;
}

/** Starts the git server and the suite in `beforeAll`, stops them in `afterAll`. */
export function useProxyHarness(): ProxyHarness {
  const served = useServedSuite({
    scratchPrefix: "gitcred-proxy-e2e-",
    suiteOptions: (server, tls) => ({ sessionGit: { url: server.url, trustedCertificate: tls.cert } }),
    onBody: (service, bytes) => harness.onUpstreamBody?.(service, bytes),
  });
  const boxes: ProxyBox[] = [];
  const harness: ProxyHarness = Object.assign(served, {
    boxes,
    onUpstreamBody: undefined,
    prepare(world: World, extra: Record<string, unknown> = {}) {
      return prepareSession(served.suite, world, { sandboxGit: "proxy", ...extra });
    },
    async sandbox(
      world: World,
      extra: Record<string, unknown> = {},
      more: NodeJS.ProcessEnv = {},
    ): Promise<ProxyBox> {
      const { suite, server } = served;
      const bare = createServerRepo(join(served.scratch, "server"), world);
      const session = await harness.prepare(world, extra);
      const home = mkdtempSync(join(served.scratch, "home-"));
      const env: NodeJS.ProcessEnv = {
        ...sandboxEnv(home, suite, session, { host: server.host, caFile: served.caFile }),
        ...more,
      };
      const dir = join(home, "work");
      const url = `${server.url}/${world.owner}/${world.repo}.git`;
      await must(process.execPath, [CLI, "clone", "--proxy", url, dir], { env, cwd: home });
      const box: ProxyBox = {
        bare,
        dir,
        home,
        env,
        session,
        proxyUrl: `${suite.sessionUrl}/git/${session.sessionId}/${world.owner}/${world.repo}.git`,
        ...gitIn(dir, env),
      };
      boxes.push(box);
      return box;
    },
  });
  return harness;
}

export type { Answer };
