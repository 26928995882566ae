/**
 * End to end with real git: a sandbox clones, commits and pushes through the credential helper against a
 * smart-HTTP git server that accepts only tokens the GitHub simulator calls valid (with push access).
 * The person's grant is revoked mid-session: the next push is refused, the helper's `erase` reports it,
 * the session downgrades to the App's bot, and the push after that succeeds — commits before show the
 * person, commits after show the bot with the person as co-author. With GitHub briefly down instead,
 * nothing is downgraded. Then: no token the simulator ever issued is found on disk or in the logs.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSelfSignedCert } from "../../../test-support/self-signed-cert.ts";
import { CREDENTIAL_ATTACKS } from "./credential-attacks.ts";
import { type GitServer, startGitServer } from "./git-server.ts";
import type { AttackTarget } from "./open-attack-box.ts";
import { type Suite, startSuite } from "./start-suite.ts";
import {
  type Answer,
  CLI,
  connectPerson,
  createServerRepo,
  type EventsAnswer,
  must,
  prepareSession,
  run,
  type SessionAnswer,
  sandboxEnv,
  seedWorld,
  serverLog,
  type World,
} from "./world.ts";

let suite: Suite;
let server: GitServer;
let scratch: string;
let caFile: string;
let tls: ReturnType<typeof createSelfSignedCert>;
const clones: string[] = [];

beforeAll(async () => {
  suite = await startSuite();
  scratch = mkdtempSync(join(tmpdir(), "gitcred-e2e-"));
  tls = createSelfSignedCert(["localhost", "127.0.0.1", "evil.example"]);
  caFile = join(scratch, "ca.pem");
  writeFileSync(caFile, tls.cert);
  server = await startGitServer({
    root: join(scratch, "server"),
    checkToken: (token, owner, repo) => suite.sim.checkToken(token, owner, repo),
    tls,
  });
});

afterAll(async () => {
  await server?.close();
  await suite?.close();
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

/** A sandbox for one session: its own HOME, a clone made by the helper, and git commands run in it. */
async function sandbox(world: World) {
  const bare = createServerRepo(join(scratch, "server"), world);
  const session = await prepareSession(suite, world);
  const home = mkdtempSync(join(scratch, "home-"));
  const env = sandboxEnv(home, suite, session, { host: server.host, caFile });
  const dir = join(home, "work");
  await must(process.execPath, [CLI, "clone", `${server.url}/${world.owner}/${world.repo}.git`, dir], {
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
}

async function events(world: World, sessionId: string) {
  const result = await suite.rpc<EventsAnswer>("session", "getEvents", {
    sessionId,
    userId: world.userId,
  });
  if (!result.ok) throw new Error(result.reason);
  return result.events;
}

// Issue 13 §2: the session's token goes to the GitHub host over https, and nowhere else. Each attack runs
// real git and the real helper against a live session; a local trap records any credential it receives.
describe("the credential helper answers the GitHub host only", () => {
  let target: AttackTarget;
  beforeAll(async () => {
    const world = await seedWorld(suite);
    await connectPerson(suite, world);
    const session = await prepareSession(suite, world);
    const attacks = mkdtempSync(join(scratch, "attacks-"));
    // The no-token-on-disk scan below covers the attacks' homes and clones too.
    clones.push(attacks);
    target = {
      cliScript: CLI,
      session: { apiUrl: suite.sessionUrl, ...session },
      github: {
        url: server.url,
        host: server.host,
        root: join(scratch, "server"),
        owner: world.owner,
        repo: world.repo,
      },
      tls,
      scratch: attacks,
    };
  });

  it.each(CREDENTIAL_ATTACKS.map((attack) => [attack.name, attack] as const))(
    "%s: nothing",
    async (_, attack) => {
      const outcome = await attack.run(target);
      expect(outcome.refused, outcome.detail).toBe(true);
    },
  );
});

describe("git through the session", () => {
  it("pushes as the person; after the grant is revoked, as the bot with the person as co-author", async () => {
    const world = await seedWorld(suite);
    await connectPerson(suite, world);
    const box = await sandbox(world);
    const person = `${world.githubUserId}+${world.login}@users.noreply.github.com`;
    expect((await box.git("config", "user.email")).stdout.trim()).toBe(person);
    const config = readFileSync(join(box.dir, ".git", "config"), "utf8");
    expect(config).not.toMatch(/gh[usr]_/);
    // Scoped to the GitHub host over https; no unscoped helper that would answer any host.
    expect((await box.git("config", "--get-all", `credential.${server.url}.helper`)).stdout).toMatch(
      /cli\.js/,
    );
    expect((await box.git("config", "--local", "--get-all", "credential.helper")).stdout).toBe("");
    expect((await box.git("remote", "get-url", "origin")).stdout.trim()).toBe(
      `${server.url}/${world.owner}/${world.repo}.git`,
    );

    expect((await box.commit("first, by the person")).status).toBe(0);
    expect(await box.git("push", "--quiet", "origin", "main")).toMatchObject({ status: 0 });

    await suite.sim.revokeGrant(suite.appId, world.login, { webhook: false });
    expect((await box.commit("second, made before anyone knew")).status).toBe(0);
    const refused = await box.git("push", "--quiet", "origin", "main");
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain("now pushes and commits as gitcred-e2e[bot]");
    const pushed = await box.git("push", "--quiet", "origin", "main");
    expect(pushed).toMatchObject({ status: 0 });

    const botEmail = (await box.git("config", "user.email")).stdout.trim();
    expect(botEmail).toMatch(/^\d+\+gitcred-e2e\[bot\]@users\.noreply\.github\.com$/);
    expect((await box.commit("third, by the bot")).status).toBe(0);
    expect(await box.git("push", "--quiet", "origin", "main")).toMatchObject({ status: 0 });

    const log = serverLog(box.bare);
    expect(log.map((c) => [c.author, c.email])).toEqual([
      ["gitcred-e2e[bot]", botEmail],
      [world.name, person],
      [world.name, person],
      ["Seed", "seed@example.com"],
    ]);
    expect(log[0]?.message).toBe(`third, by the bot\n\nCo-authored-by: ${world.name} <${person}>`);
    expect(log[1]?.message).toBe("second, made before anyone knew");
    expect(
      server.accepted.filter((a) => a.repo === `${world.owner}/${world.repo}`).map((a) => a.login),
    ).toContain(world.login);

    const downgrades = (await events(world, box.session.sessionId)).filter((e) => e.type === "downgraded");
    expect(downgrades).toHaveLength(1);
    expect(downgrades[0]).toMatchObject({ reason: "token_revoked" });
  });

  it("GitHub briefly down, or a spurious refusal: no downgrade", async () => {
    const world = await seedWorld(suite);
    await connectPerson(suite, world);
    const box = await sandbox(world);
    const person = `${world.githubUserId}+${world.login}@users.noreply.github.com`;

    // The git server refuses once although the token is fine: the helper reports it, GitHub confirms the
    // token, the session keeps the person, and the next push works as the person.
    expect((await box.commit("one")).status).toBe(0);
    server.refuseNext(1);
    expect((await box.git("push", "--quiet", "origin", "main")).status).not.toBe(0);
    expect((await box.git("push", "--quiet", "origin", "main")).status).toBe(0);

    // The grant is revoked while GitHub's API is down: the refusal cannot be confirmed, nothing changes.
    // (git-token checks a refused token with `POST /applications/{client_id}/token`, the session with
    // `GET /repos/{owner}/{repo}` when git-token hands it out again: both are down.)
    await suite.sim.revokeGrant(suite.appId, world.login, { webhook: false });
    await suite.sim.injectFault({
      path: `/repos/${world.owner}/${world.repo}`,
      method: "GET",
      status: 503,
      times: null,
    });
    await suite.sim.injectFault({
      path: `/applications/${suite.appClientId}/token`,
      method: "POST",
      status: 503,
      times: null,
    });
    expect((await box.commit("two")).status).toBe(0);
    for (let i = 0; i < 2; i++) {
      const refused = await box.git("push", "--quiet", "origin", "main");
      expect(refused.status).not.toBe(0);
    }
    const session = await suite.rpc<SessionAnswer>("session", "getSession", {
      sessionId: box.session.sessionId,
      userId: world.userId,
    });
    expect(session).toMatchObject({ ok: true, session: { identity: "user", commitTrailers: [] } });
    expect((await events(world, box.session.sessionId)).some((e) => e.type === "downgraded")).toBe(false);
    expect((await box.git("config", "user.email")).stdout.trim()).toBe(person);
    await suite.sim.clearFaults();

    const log = serverLog(box.bare);
    expect(log.map((c) => c.email)).toEqual([person, "seed@example.com"]);
  });

  it("a downgrade the sandbox did not see: the commit hook refuses the stale author once", async () => {
    const world = await seedWorld(suite);
    await connectPerson(suite, world);
    const box = await sandbox(world);
    await suite.sim.revokeGrant(suite.appId, world.login, { webhook: false });
    // The platform learns of the refusal itself (its own git call failed) and tells the session.
    const refreshed = await suite.rpc<Answer<{ identity: string }>>("session", "refreshGitHubToken", {
      sessionId: box.session.sessionId,
      userId: world.userId,
      reason: "rejected",
    });
    expect(refreshed).toMatchObject({ ok: true, identity: "app" });

    const stale = await box.commit("made with yesterday's config");
    expect(stale.status).not.toBe(0);
    expect(stale.stderr).toContain("this session now commits as gitcred-e2e[bot]");
    const fixed = await box.git("commit", "--quiet", "-m", "made with yesterday's config");
    expect(fixed.status).toBe(0);
    expect(await box.git("push", "--quiet", "origin", "main")).toMatchObject({ status: 0 });
    const [head] = serverLog(box.bare);
    expect(head?.author).toBe("gitcred-e2e[bot]");
    expect(head?.message).toBe(
      `made with yesterday's config\n\nCo-authored-by: ${world.name} <${world.githubUserId}+${world.login}@users.noreply.github.com>`,
    );
  });

  it("leaves no token the simulator issued on disk or in the logs", async () => {
    const tokens = (await suite.sim.issuedTokens()).map((t) => t.token);
    expect(tokens.length).toBeGreaterThan(4);
    const files: string[] = [];
    const walk = (path: string) => {
      for (const name of readdirSync(path)) {
        const full = join(path, name);
        if (statSync(full).isDirectory()) walk(full);
        else files.push(full);
      }
    };
    walk(suite.persistDir);
    for (const clone of clones) walk(clone);
    // The scan looks at something: the workers logged (e.g. the downgrades) and stored their objects.
    expect(suite.logs.some((line) => line.includes("session downgraded"))).toBe(true);
    const storage = files.filter((f) => f.startsWith(suite.persistDir));
    expect(storage.some((f) => /\.sqlite/.test(f))).toBe(true);
    const haystacks = [...files.map((f) => readFileSync(f).toString("latin1")), suite.logs.join("\n")];
    const found = tokens.filter((token) => haystacks.some((text) => text.includes(token)));
    expect(found).toEqual([]);
  });
});
