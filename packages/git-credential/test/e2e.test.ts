/**
 * End to end with real git: a sandbox clones, commits and pushes through the credential helper against a
 * smart-HTTP git server that accepts only tokens the GitHub simulator calls valid (with push access).
 * The person's grant is revoked mid-session: the next push is refused, the helper's `erase` reports it,
 * the session downgrades to the App's bot, and the push after that succeeds — commits before show the
 * person, commits after show the bot with the person as co-author. With GitHub briefly down instead,
 * nothing is downgraded. Then: no token the simulator ever issued is found on disk or in the logs.
 */
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CREDENTIAL_ATTACKS } from "./credential-attacks.ts";
import { useGitHarness } from "./git-harness.ts";
import { expectNoIssuedTokenLeft, pushAsPersonThenBot } from "./git-scenarios.ts";
import type { AttackTarget } from "./open-attack-box.ts";
import {
  type Answer,
  CLI,
  connectPerson,
  prepareSession,
  type SessionAnswer,
  seedWorld,
  serverLog,
} from "./world.ts";

const h = useGitHarness();

// Issue 13 §2: the session's token goes to the GitHub host over https, and nowhere else. Each attack runs
// real git and the real helper against a live session; a local trap records any credential it receives.
describe("the credential helper answers the GitHub host only", () => {
  let target: AttackTarget;
  beforeAll(async () => {
    const { suite, server } = h;
    const world = await seedWorld(suite);
    await connectPerson(suite, world);
    const session = await prepareSession(suite, world);
    const attacks = mkdtempSync(join(h.scratch, "attacks-"));
    // The no-token-on-disk scan below covers the attacks' homes and clones too.
    h.clones.push(attacks);
    target = {
      cliScript: CLI,
      session: { apiUrl: suite.sessionUrl, ...session },
      github: {
        url: server.url,
        host: server.host,
        root: join(h.scratch, "server"),
        owner: world.owner,
        repo: world.repo,
      },
      tls: h.tls,
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
    await pushAsPersonThenBot(h);
  });

  it("GitHub briefly down, or a spurious refusal: no downgrade", async () => {
    const { suite, server } = h;
    const world = await seedWorld(suite);
    await connectPerson(suite, world);
    const box = await h.sandbox(world);
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
    const session = await suite.rpc<SessionAnswer>("SESSION", "getSession", {
      sessionId: box.session.sessionId,
      userId: world.userId,
    });
    expect(session).toMatchObject({ ok: true, session: { identity: "user", commitTrailers: [] } });
    expect((await h.events(world, box.session.sessionId)).some((e) => e.type === "downgraded")).toBe(false);
    expect((await box.git("config", "user.email")).stdout.trim()).toBe(person);
    await suite.sim.clearFaults();

    const log = serverLog(box.bare);
    expect(log.map((c) => c.email)).toEqual([person, "seed@example.com"]);
  });

  it("a downgrade the sandbox did not see: the commit hook refuses the stale author once", async () => {
    const { suite } = h;
    const world = await seedWorld(suite);
    await connectPerson(suite, world);
    const box = await h.sandbox(world);
    await suite.sim.revokeGrant(suite.appId, world.login, { webhook: false });
    // The platform learns of the refusal itself (its own git call failed) and tells the session.
    const refreshed = await suite.rpc<Answer<{ identity: string }>>("SESSION", "refreshGitHubToken", {
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
    expect((await expectNoIssuedTokenLeft(h)).length).toBeGreaterThan(4);
  });
});
