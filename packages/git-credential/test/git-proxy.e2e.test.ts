/**
 * The git proxy end to end (issue 14): real git and the real helper (`clone --proxy`) in a sandbox that
 * holds only the session secret, the session worker in workerd forwarding to an https git server that
 * accepts only tokens the GitHub simulator calls valid. Clone, fetch and push as the person; pushes the
 * branch policy refuses, with the reason git prints; another repository and a wrong secret refused; a
 * revoked grant: the push goes as the bot; a 50 MB push that streams; and no GitHub token anywhere in
 * the sandbox (files, environment, git config).
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gate } from "../../../test-support/gate.ts";
import { type Answer, useProxyHarness } from "./proxy-harness.ts";
import { pushRecordsOf } from "./push-records.ts";
import { connectPerson, type EventsAnswer, run, seedWorld, serverLog, type World } from "./world.ts";

const h = useProxyHarness();

function refOf(bare: string, ref: string): string {
  const out = spawnSync("git", ["--git-dir", bare, "rev-parse", "--verify", "--quiet", ref], {
    encoding: "utf8",
  });
  return out.status === 0 ? out.stdout.trim() : "";
}

async function events(world: World, sessionId: string) {
  const result = await h.suite.rpc<EventsAnswer>("SESSION", "getEvents", { sessionId, userId: world.userId });
  if (!result.ok) throw new Error(result.reason);
  return result.events;
}

/** The person's push records as their settings page reads them, once `count` are there. */
const pushRecords = (world: World, count: number) => pushRecordsOf(h.suite, world.userId, count);

/** Token shapes GitHub issues (classic and fine-grained user, installation, refresh, OAuth). */
const TOKEN_SHAPED = /\b(gh[opusr]_[A-Za-z0-9_]{16,}|github_pat_[A-Za-z0-9_]{16,})/;

async function personWorld(): Promise<World> {
  const world = await seedWorld(h.suite);
  await connectPerson(h.suite, world);
  return world;
}

describe("git through the session's git proxy", () => {
  it("clones, fetches and pushes an agent branch as the person; the remote is the proxy", async () => {
    const world = await personWorld();
    const box = await h.sandbox(world);
    expect((await box.git("remote", "get-url", "origin")).stdout.trim()).toBe(box.proxyUrl);
    expect((await box.git("log", "--format=%s")).stdout.trim()).toBe("init");

    expect((await box.commit("by the person")).status).toBe(0);
    const pushed = await box.git("push", "--quiet", "origin", "HEAD:refs/heads/agent/one");
    expect(pushed, pushed.stderr).toMatchObject({ status: 0 });
    const person = `${world.githubUserId}+${world.login}@users.noreply.github.com`;
    expect(refOf(box.bare, "refs/heads/agent/one")).toBe((await box.git("rev-parse", "HEAD")).stdout.trim());
    const pushes = h.server.accepted.filter(
      (a) => a.repo === `${world.owner}/${world.repo}` && a.service === "git-receive-pack",
    );
    expect(pushes.map((a) => a.login)).toContain(world.login);

    // Someone else moves main at GitHub: fetch through the proxy sees it.
    const seeded = spawnSync(
      "git",
      ["--git-dir", box.bare, "commit-tree", "-p", "main", "-m", "upstream", "main^{tree}"],
      {
        encoding: "utf8",
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: "O",
          GIT_AUTHOR_EMAIL: "o@example.com",
          GIT_COMMITTER_NAME: "O",
          GIT_COMMITTER_EMAIL: "o@example.com",
        },
      },
    ).stdout.trim();
    spawnSync("git", ["--git-dir", box.bare, "update-ref", "refs/heads/main", seeded]);
    expect((await box.git("fetch", "--quiet", "origin")).status).toBe(0);
    expect((await box.git("rev-parse", "origin/main")).stdout.trim()).toBe(seeded);

    const [pushedEvent] = (await events(world, box.session.sessionId)).filter((e) => e.type === "git_push");
    expect(pushedEvent).toMatchObject({
      identity: "user",
      repository: `${world.owner}/${world.repo}`,
      refs: [{ ref: "refs/heads/agent/one", action: "create" }],
    });
    expect(serverLog(box.bare).length).toBeGreaterThan(0);
    expect(person).toContain(world.login);

    // The push outlives the session: a git_push audit row under the person, as their settings page reads it.
    const head = (await box.git("rev-parse", "HEAD")).stdout.trim();
    const records = await pushRecords(world, 1);
    expect(records).toMatchObject([
      {
        kind: "git_push",
        repository: `${world.owner}/${world.repo}`,
        sessionId: box.session.sessionId,
        identity: "user",
        caller: "gitcred-session",
        refs: [{ ref: "refs/heads/agent/one", action: "create", oldId: "0".repeat(40), newId: head }],
      },
    ]);
    expect(JSON.stringify(records)).not.toMatch(TOKEN_SHAPED);
  });

  it("a fetch git sends gzipped (its request over 1 KiB: 40 new branches) reaches GitHub decoded and labelled so", async () => {
    const world = await personWorld();
    const box = await h.sandbox(world);
    const author = {
      ...process.env,
      GIT_AUTHOR_NAME: "O",
      GIT_AUTHOR_EMAIL: "o@example.com",
      GIT_COMMITTER_NAME: "O",
      GIT_COMMITTER_EMAIL: "o@example.com",
    };
    const tips: string[] = [];
    for (let i = 0; i < 40; i++) {
      const tip = spawnSync(
        "git",
        ["--git-dir", box.bare, "commit-tree", "-p", "main", "-m", `upstream ${i}`, "main^{tree}"],
        { encoding: "utf8", env: author },
      ).stdout.trim();
      spawnSync("git", ["--git-dir", box.bare, "update-ref", `refs/heads/many/${i}`, tip]);
      tips.push(tip);
    }
    // 40 `want` lines are 2 KB: git compresses the upload-pack request (GIT_TRACE_CURL shows it did).
    const fetched = await run("git", ["fetch", "origin"], {
      cwd: box.dir,
      env: { ...box.env, GIT_TRACE_CURL: "1", GIT_TRACE_CURL_NO_DATA: "1" },
    });
    expect(fetched.stderr).toMatch(/Content-Encoding: gzip/i);
    expect(fetched.status, fetched.stderr.slice(-2000)).toBe(0);
    expect((await box.git("rev-parse", "origin/many/39")).stdout.trim()).toBe(tips[39]);
  });

  it("refuses a push to main and a deletion, with the reason git prints; nothing reaches GitHub", async () => {
    const world = await personWorld();
    const box = await h.sandbox(world);
    const mainBefore = refOf(box.bare, "refs/heads/main");
    expect((await box.commit("to main?")).status).toBe(0);
    const toMain = await box.git("push", "origin", "HEAD:main");
    expect(toMain.status).not.toBe(0);
    expect(toMain.stderr).toContain("[remote rejected]");
    expect(toMain.stderr).toContain("gitcred: this session may push only to refs/heads/agent/*");
    expect(toMain.stderr).toContain("remote: gitcred refused the push by the session's branch policy");
    expect(refOf(box.bare, "refs/heads/main")).toBe(mainBefore);

    expect((await box.git("push", "--quiet", "origin", "HEAD:refs/heads/agent/keep")).status).toBe(0);
    const deletion = await box.git("push", "origin", "--delete", "agent/keep");
    expect(deletion.status).not.toBe(0);
    expect(deletion.stderr).toContain("gitcred: this session may not delete refs");
    expect(refOf(box.bare, "refs/heads/agent/keep")).not.toBe("");

    const refused = (await events(world, box.session.sessionId)).filter((e) => e.type === "git_push_refused");
    expect(refused.map((e) => e.refs?.map((r) => `${r.action} ${r.ref}`))).toEqual([
      ["update refs/heads/main"],
      ["delete refs/heads/agent/keep"],
    ]);
    const records = await pushRecords(world, 3);
    expect(records.map((e) => [e.kind, e.reason, e.refs?.map((r) => `${r.action} ${r.ref}`)])).toEqual([
      ["git_push_refused", "branch_policy", ["update refs/heads/main"]],
      ["git_push", undefined, ["create refs/heads/agent/keep"]],
      ["git_push_refused", "branch_policy", ["delete refs/heads/agent/keep"]],
    ]);

    // A name git and GitHub take but the person's push record cannot carry: refused, so nothing the
    // proxy forwards goes unrecorded.
    const unicode = await box.git("push", "origin", "HEAD:refs/heads/agent/ü");
    expect(unicode.status).not.toBe(0);
    expect(unicode.stderr).toContain("gitcred: the git proxy takes ref names of printable ASCII");
    expect(refOf(box.bare, "refs/heads/agent/ü")).toBe("");
  });

  it("a wide policy still keeps the default branch; GitHub's own refusal (branch protection) passes through", async () => {
    const world = await personWorld();
    const box = await h.sandbox(world, { branchPolicy: { allow: ["refs/heads/*"], allowDeletions: true } });
    expect((await box.commit("x")).status).toBe(0);
    const toMain = await box.git("push", "origin", "HEAD:main");
    expect(toMain.stderr).toContain("gitcred: this session may not push to the default branch");
    // GitHub refuses protected/* with a pre-receive hook, as its branch protection does (GH006).
    const hook = join(box.bare, "hooks", "pre-receive");
    spawnSync("sh", [
      "-c",
      `printf '%s\\n' '#!/bin/sh' 'while read o n r; do case "$r" in refs/heads/protected/*) echo "error: GH006: Protected branch update failed for $r." >&2; exit 1;; esac; done' > '${hook}' && chmod +x '${hook}'`,
    ]);
    const protectedPush = await box.git("push", "origin", "HEAD:refs/heads/protected/x");
    expect(protectedPush.status).not.toBe(0);
    expect(protectedPush.stderr).toContain(
      "remote: error: GH006: Protected branch update failed for refs/heads/protected/x.",
    );
    expect(protectedPush.stderr).toContain("pre-receive hook declined");
    expect((await box.git("push", "--quiet", "origin", "HEAD:refs/heads/feature")).status).toBe(0);
    expect((await box.git("push", "--quiet", "origin", "--delete", "feature")).status).toBe(0);
  });

  it("another repository, a wrong secret, no secret, an ended session: refused with a message", async () => {
    const world = await personWorld();
    const box = await h.sandbox(world);
    await h.suite.sim.seedRepo({
      owner: world.owner,
      name: "other",
      collaborators: { [world.login]: "write" },
    });
    const base = `${h.suite.sessionUrl}/git/${box.session.sessionId}`;
    const other = await box.git("ls-remote", `${base}/${world.owner}/other.git`);
    expect(other.status).not.toBe(0);
    expect(other.stderr).toContain(`remote: gitcred: this session may use ${world.owner}/${world.repo} only`);
    // Case does not matter for the session's own repository.
    expect(
      (await box.git("ls-remote", `${base}/${world.owner.toUpperCase()}/${world.repo.toUpperCase()}.git`))
        .status,
    ).toBe(0);

    const scope = `${base}/`;
    const wrong = await run(
      "git",
      [
        "-c",
        `http.${scope}.extraHeader=`,
        "-c",
        `http.${scope}.extraHeader=Authorization: Bearer ${"x".repeat(43)}`,
        "ls-remote",
        box.proxyUrl,
      ],
      { cwd: box.dir, env: box.env },
    );
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toContain("remote: gitcred: the session secret is not valid for this session");
    const none = await run("git", ["-c", `http.${scope}.extraHeader=`, "ls-remote", box.proxyUrl], {
      cwd: box.dir,
      env: box.env,
    });
    expect(none.status).not.toBe(0);
    // The secret of one session opens no other session's proxy.
    const theirs = await h.prepare(world);
    const cross = await run(
      "git",
      [
        "-c",
        `http.${h.suite.sessionUrl}/git/${theirs.sessionId}/.extraHeader=Authorization: Bearer ${box.session.secret}`,
        "ls-remote",
        `${h.suite.sessionUrl}/git/${theirs.sessionId}/${world.owner}/${world.repo}.git`,
      ],
      { cwd: box.dir, env: box.env },
    );
    expect(cross.stderr).toContain("gitcred: the session secret is not valid for this session");

    // The sandbox's secret fetches no token in proxy mode.
    const asked = await fetch(`${h.suite.sessionUrl}/sessions/${box.session.sessionId}/credentials`, {
      method: "POST",
      headers: { authorization: `Bearer ${box.session.secret}` },
    });
    expect(asked.status).toBe(403);
    expect(await asked.json()).toMatchObject({ ok: false, reason: "proxy_only" });

    await h.suite.rpc<Answer<object>>("SESSION", "endSession", {
      sessionId: box.session.sessionId,
      userId: world.userId,
    });
    const ended = await box.git("fetch", "origin");
    expect(ended.status).not.toBe(0);
    expect(ended.stderr).toContain("remote: gitcred: the session was ended");
  });
});

describe("identity through the proxy", () => {
  it("after the grant is revoked the push goes as the bot, and the next commit carries the trailer", async () => {
    const world = await personWorld();
    const box = await h.sandbox(world);
    expect((await box.commit("by the person")).status).toBe(0);
    expect((await box.git("push", "--quiet", "origin", "HEAD:refs/heads/agent/work")).status).toBe(0);

    await h.suite.sim.revokeGrant(h.suite.appId, world.login, { webhook: false });
    expect((await box.commit("made before anyone knew")).status).toBe(0);
    // GitHub refuses the person's token on info/refs: the proxy reports it (one downgrade) and retries.
    const pushed = await box.git("push", "--quiet", "origin", "HEAD:refs/heads/agent/work");
    expect(pushed, pushed.stderr).toMatchObject({ status: 0 });
    const bot = `${h.suite.appSlug}[bot]`;
    const receives = h.server.accepted.filter(
      (a) => a.repo === `${world.owner}/${world.repo}` && a.service === "git-receive-pack",
    );
    expect(receives.at(-1)?.login).toBe(bot);

    const stale = await box.commit("by the bot");
    expect(stale.status).not.toBe(0);
    expect(stale.stderr).toContain(`this session now commits as ${bot}`);
    expect((await box.git("commit", "--quiet", "-m", "by the bot")).status).toBe(0);
    expect((await box.git("push", "--quiet", "origin", "HEAD:refs/heads/agent/work")).status).toBe(0);
    const log = spawnSync(
      "git",
      ["--git-dir", box.bare, "log", "-1", "--format=%an%n%B", "refs/heads/agent/work"],
      { encoding: "utf8" },
    ).stdout;
    const person = `${world.githubUserId}+${world.login}@users.noreply.github.com`;
    expect(log.trim()).toBe(`${bot}\nby the bot\n\nCo-authored-by: ${world.name} <${person}>`);

    const all = await events(world, box.session.sessionId);
    expect(all.filter((e) => e.type === "downgraded")).toMatchObject([{ reason: "token_revoked" }]);
    expect(all.filter((e) => e.type === "credential_rejected")).toHaveLength(1);
    expect(all.filter((e) => e.type === "git_push").map((e) => e.identity)).toEqual(["user", "app", "app"]);
    const records = await pushRecords(world, 3);
    expect(records.map((e) => [e.kind, e.identity])).toEqual([
      ["git_push", "user"],
      ["git_push", "app"],
      ["git_push", "app"],
    ]);
  });
});

const MiB = 1024 * 1024;

/** One pkt-line (gitprotocol-common). */
function pkt(text: string): Buffer {
  return Buffer.concat([
    Buffer.from((text.length + 4).toString(16).padStart(4, "0")),
    Buffer.from(text, "latin1"),
  ]);
}

describe("a 50 MB push streams through the proxy", () => {
  it("GitHub receives the pack while the client is still sending it; what is in flight stays far below the push", async () => {
    const world = await personWorld();
    const box = await h.sandbox(world);
    writeFileSync(join(box.dir, "big.bin"), randomBytes(50 * MiB));
    expect((await box.git("add", "big.bin")).status).toBe(0);
    expect((await box.git("commit", "--quiet", "-m", "50 MB")).status).toBe(0);
    const head = (await box.git("rev-parse", "HEAD")).stdout.trim();
    const pack = spawnSync("git", ["pack-objects", "--stdout", "--revs", "-q"], {
      cwd: box.dir,
      input: `${head}\n^origin/main\n`,
      maxBuffer: 200 * MiB,
    }).stdout;
    expect(pack.byteLength).toBeGreaterThan(50 * MiB);
    const commands = Buffer.concat([
      pkt(`${"0".repeat(40)} ${head} refs/heads/agent/big\0report-status side-band-64k agent=gitcred-test\n`),
      Buffer.from("0000"),
    ]);

    // Counted as the git server reads them: the gate opens at the first MiB GitHub has.
    let upstream = 0;
    const firstMiB = gate();
    h.onUpstreamBody = (service, bytes) => {
      if (service !== "git-receive-pack") return;
      upstream += bytes;
      if (upstream >= MiB) firstMiB.open();
    };
    const url = new URL(`${box.proxyUrl}/git-receive-pack`);
    const req = httpRequest(url, {
      method: "POST",
      headers: {
        authorization: `Bearer ${box.session.secret}`,
        "content-type": "application/x-git-receive-pack-request",
        accept: "application/x-git-receive-pack-result",
      },
    });
    const answer = new Promise<string>((resolve, reject) => {
      req.on("response", (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve(Buffer.concat(chunks).toString("latin1")));
      });
      req.on("error", reject);
    });
    const write = (bytes: Buffer) =>
      new Promise<void>((resolve, reject) =>
        req.write(bytes, (error) => (error ? reject(error) : resolve())),
      );
    await write(commands);
    let sent = 0;
    const first = 4 * MiB;
    await write(pack.subarray(0, first));
    sent = first;
    // A proxy that buffered would forward nothing until the client finished: this would never open.
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    const held = new Promise<never>((_, reject) => {
      watchdog = setTimeout(
        () => reject(new Error(`the proxy held the push: GitHub had ${upstream} bytes`)),
        60_000,
      );
    });
    await Promise.race([firstMiB.promise, held]);
    clearTimeout(watchdog);
    expect(upstream).toBeGreaterThanOrEqual(MiB);
    expect(upstream).toBeLessThan(pack.byteLength);
    let inFlight = 0;
    for (let at = first; at < pack.byteLength; at += MiB) {
      await write(pack.subarray(at, Math.min(pack.byteLength, at + MiB)));
      sent = Math.min(pack.byteLength, at + MiB);
      inFlight = Math.max(inFlight, sent - upstream);
    }
    req.end();
    const report = await answer;
    expect(report).toContain("ok refs/heads/agent/big");
    expect(refOf(box.bare, "refs/heads/agent/big")).toBe(head);
    // Sockets and stream queues on three hops hold some; a buffering proxy would hold all 50 MB.
    expect(inFlight).toBeLessThan(25 * MiB);
    h.onUpstreamBody = undefined;
  });
});

describe("the sandbox holds no GitHub token", () => {
  it("canary scan: files, environment and git config of every proxy sandbox", async () => {
    const issued = (await h.suite.sim.issuedTokens()).map((t) => t.token);
    expect(issued.length).toBeGreaterThan(2);
    const shaped = /gh[pousr]_[A-Za-z0-9_]{20,}/;
    const files: string[] = [];
    const walk = (path: string) => {
      for (const name of readdirSync(path)) {
        const full = join(path, name);
        if (statSync(full).isDirectory()) walk(full);
        else files.push(full);
      }
    };
    for (const box of h.boxes) walk(box.home);
    expect(files.length).toBeGreaterThan(20);
    const haystacks = files.map((f) => readFileSync(f).toString("latin1"));
    for (const box of h.boxes) {
      const config = spawnSync("git", ["config", "--list", "--show-origin"], {
        cwd: box.dir,
        encoding: "utf8",
        env: box.env,
      });
      expect(config.status).toBe(0);
      // The scan looks at something: the proxy's secret header is there, and nothing else.
      expect(config.stdout).toContain("extraheader=Authorization: Bearer ");
      haystacks.push(config.stdout, JSON.stringify(box.env));
    }
    const found = haystacks.filter(
      (text) => shaped.test(text) || issued.some((token) => text.includes(token)),
    );
    expect(found).toEqual([]);
  });
});
