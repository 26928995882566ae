/**
 * P6 — the git proxy's cost. On a suite of its own (the e2e wiring: session and git-token in workerd, the
 * simulator, an https git server that accepts only tokens the simulator calls valid), real git clones a
 * ≥ 20 MB repository and pushes a 20 MB commit, once through the session's git proxy and once directly
 * against the git server with the same token sent the same way (`http.extraHeader`), in interleaved
 * rounds. Goals: (clone + push through the proxy) ÷ (the same direct) ≤ 1.1, median over rounds; and the
 * time to first byte the proxy adds (p50 of `info/refs` through it minus p50 direct) ≤ 1.2 × one warm
 * `getGitCredentials` (p50 of the sandbox API's `POST /sessions/:id/credentials`, the same hop from the
 * same client).
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startGitServer } from "../../packages/git-credential/test/git-server.ts";
import { startSuite } from "../../packages/git-credential/test/start-suite.ts";
import {
  commitAndPush,
  connectPerson,
  createServerRepo,
  prepareSession,
  seedWorld,
} from "../../packages/git-credential/test/world.ts";
import { createSelfSignedCert } from "../../test-support/self-signed-cert.ts";
import { percentiles, round } from "./stats.ts";

export interface P6Result {
  repositoryMB: number;
  pushMB: number;
  rounds: number;
  /** Median seconds of clone + push per path. */
  directSeconds: number;
  proxySeconds: number;
  /** proxySeconds ÷ directSeconds. */
  ratio: number;
  ttfbSamples: number;
  ttfbDirectP50Ms: number;
  ttfbProxyP50Ms: number;
  /** ttfbProxyP50Ms − ttfbDirectP50Ms. */
  addedTtfbMs: number;
  /** p50 of one warm getGitCredentials over the sandbox API. */
  getGitCredentialsP50Ms: number;
  /** addedTtfbMs ÷ getGitCredentialsP50Ms. */
  ttfbRatio: number;
  /** Every clone and push succeeded, and every push landed on the server. */
  clean: boolean;
}

const MiB = 1024 * 1024;

function git(args: string[], options: { cwd?: string; env: NodeJS.ProcessEnv }): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(0) : reject(new Error(`git ${args[0]}: ${stderr.slice(-400)}`)),
    );
  });
}

function local(args: string[], cwd?: string): string {
  const out = spawnSync("git", args, { cwd, encoding: "utf8", maxBuffer: 64 * MiB });
  if (out.status !== 0) throw new Error(`git ${args.join(" ")}: ${out.stderr}`);
  return out.stdout.trim();
}

/** Milliseconds until the first byte of the body of a GET with `authorization` (a new connection each). */
function firstByteMs(url: string, authorization: string, ca: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const target = new URL(url);
    const send = target.protocol === "https:" ? httpsRequest : httpRequest;
    const req = send(target, { headers: { authorization }, ca, agent: false }, (res) => {
      res.once("data", () => {
        const ms = performance.now() - started;
        res.destroy();
        if (res.statusCode === 200) resolve(ms);
        else reject(new Error(`GET ${target.pathname}: ${res.statusCode}`));
      });
      res.on("error", () => {});
    });
    req.on("error", reject);
    req.end();
  });
}

/** Runs P6 on a suite of its own; `log` gets progress lines. */
export async function runP6(
  log: (line: string) => void,
  options = { rounds: 3, ttfbSamples: 60 },
): Promise<P6Result> {
  const scratch = mkdtempSync(join(tmpdir(), "gitcred-p6-"));
  const tls = createSelfSignedCert(["localhost", "127.0.0.1"]);
  const caFile = join(scratch, "ca.pem");
  writeFileSync(caFile, tls.cert);
  let suite: Awaited<ReturnType<typeof startSuite>> | undefined;
  const server = await startGitServer({
    root: join(scratch, "server"),
    checkToken: (token, owner, repo) => {
      if (suite === undefined) throw new Error("suite not started");
      return suite.sim.checkToken(token, owner, repo);
    },
    tls,
  });
  try {
    suite = await startSuite({ sessionGit: { url: server.url, trustedCertificate: tls.cert } });
    const world = await seedWorld(suite);
    await connectPerson(suite, world);
    const bare = createServerRepo(join(scratch, "server"), world);
    // The repository: 20 MB of incompressible content on main.
    const seed = mkdtempSync(join(scratch, "seed-"));
    local(["clone", "--quiet", bare, seed]);
    writeFileSync(join(seed, "data.bin"), randomBytes(20 * MiB));
    commitAndPush(seed, "data.bin", "20 MB", "origin");
    const counted = local(["--git-dir", bare, "count-objects", "-v"]);
    const kib = (key: string) => Number(new RegExp(`${key}: (\\d+)`).exec(counted)?.[1] ?? 0);
    const repositoryMB = round((kib("size") + kib("size-pack")) / 1024);

    const proxySession = await prepareSession(suite, world, { sandboxGit: "proxy" });
    const tokenSession = await prepareSession(suite, world, { sandboxGit: "token" });
    const credentialsUrl = `${suite.sessionUrl}/sessions/${tokenSession.sessionId}/credentials`;
    const bearer = `Bearer ${tokenSession.secret}`;
    const tokenAnswer = (await (
      await fetch(credentialsUrl, { method: "POST", headers: { authorization: bearer } })
    ).json()) as { token: string };
    const basic = `Basic ${Buffer.from(`x-access-token:${tokenAnswer.token}`).toString("base64")}`;
    const proxyBase = `${suite.sessionUrl}/git/${proxySession.sessionId}/`;
    const paths = {
      direct: {
        url: `${server.url}/${world.owner}/${world.repo}.git`,
        scope: `${server.url}/`,
        header: `Authorization: ${basic}`,
      },
      proxy: {
        url: `${proxyBase}${world.owner}/${world.repo}.git`,
        scope: proxyBase,
        header: `Authorization: Bearer ${proxySession.secret}`,
      },
    };
    const env = (home: string): NodeJS.ProcessEnv => ({
      PATH: process.env.PATH,
      HOME: home,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_TERMINAL_PROMPT: "0",
      GIT_SSL_CAINFO: caFile,
    });

    const seconds: Record<"direct" | "proxy", number[]> = { direct: [], proxy: [] };
    let clean = true;
    const pushMB = 20;
    for (let round_ = 0; round_ < options.rounds; round_++) {
      for (const kind of round_ % 2 === 0 ? (["direct", "proxy"] as const) : (["proxy", "direct"] as const)) {
        const p = paths[kind];
        const home = mkdtempSync(join(scratch, `home-${kind}-`));
        const dir = join(home, "work");
        const e = env(home);
        const config = ["-c", `http.${p.scope}.extraHeader=${p.header}`, "-c", "credential.helper="];
        const branch = `refs/heads/agent/p6-${kind}-${round_}`;
        // The push's content is made before the clock starts: only git's traffic is timed.
        const started = performance.now();
        // main only: the agent branches earlier rounds pushed are not part of the repository measured.
        await git([...config, "clone", "--quiet", "--single-branch", "--branch", "main", p.url, dir], {
          env: e,
        });
        const cloned = performance.now();
        writeFileSync(join(dir, "push.bin"), randomBytes(pushMB * MiB));
        local(["-C", dir, "add", "push.bin"]);
        local([
          "-C",
          dir,
          "-c",
          "user.name=B",
          "-c",
          "user.email=b@example.com",
          "commit",
          "--quiet",
          "-m",
          "p6",
        ]);
        const committed = performance.now();
        await git([...config, "push", "--quiet", "origin", `HEAD:${branch}`], { cwd: dir, env: e });
        const pushed = performance.now();
        seconds[kind].push((cloned - started + (pushed - committed)) / 1000);
        if (local(["--git-dir", bare, "rev-parse", branch]) !== local(["-C", dir, "rev-parse", "HEAD"]))
          clean = false;
        rmSync(home, { recursive: true, force: true });
        log(`P6 round ${round_ + 1} ${kind}: ${round(seconds[kind].at(-1) ?? 0)} s`);
      }
    }

    // Time to first byte: info/refs through the proxy and directly, and one warm getGitCredentials, interleaved.
    const ttfb = { direct: [] as number[], proxy: [] as number[], credentials: [] as number[] };
    const advertise = (url: string) => `${url}/info/refs?service=git-upload-pack`;
    for (let i = 0; i < options.ttfbSamples + 5; i++) {
      const d = await firstByteMs(advertise(paths.direct.url), basic, tls.cert);
      const x = await firstByteMs(advertise(paths.proxy.url), `Bearer ${proxySession.secret}`, tls.cert);
      const startedCredentials = performance.now();
      const res = await fetch(credentialsUrl, { method: "POST", headers: { authorization: bearer } });
      await res.arrayBuffer();
      const c = performance.now() - startedCredentials;
      if (i < 5) continue; // warm-up
      ttfb.direct.push(d);
      ttfb.proxy.push(x);
      ttfb.credentials.push(c);
    }
    const median = (values: number[]) =>
      [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    const directSeconds = round(median(seconds.direct));
    const proxySeconds = round(median(seconds.proxy));
    const ttfbDirectP50Ms = round(percentiles(ttfb.direct).p50);
    const ttfbProxyP50Ms = round(percentiles(ttfb.proxy).p50);
    const getGitCredentialsP50Ms = round(percentiles(ttfb.credentials).p50);
    const addedTtfbMs = round(ttfbProxyP50Ms - ttfbDirectP50Ms);
    return {
      repositoryMB,
      pushMB,
      rounds: options.rounds,
      directSeconds,
      proxySeconds,
      ratio: round(proxySeconds / directSeconds),
      ttfbSamples: options.ttfbSamples,
      ttfbDirectP50Ms,
      ttfbProxyP50Ms,
      addedTtfbMs,
      getGitCredentialsP50Ms,
      ttfbRatio: round(addedTtfbMs / getGitCredentialsP50Ms),
      clean,
    };
  } finally {
    await server.close();
    await suite?.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}
