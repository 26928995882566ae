import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { connect, prepareSessionFor, seedWorld, sessionObject, sessions, sim } from "./helpers.ts";

describe("prepareSession", () => {
  it("now: a connected person's session commits and pushes as the person", async () => {
    const world = await seedWorld();
    expect((await connect(world)).ok).toBe(true);
    const { sessionId, secret, session } = await prepareSessionFor(world);
    const prepared = { session, sessionSecret: secret };
    expect(prepared.session.state).toBe("ready");
    expect(prepared.session.identity).toBe("user");
    expect(prepared.session.author).toEqual({
      name: world.name,
      email: `${world.githubUserId}+${world.login}@users.noreply.github.com`,
    });
    expect(prepared.session.commitTrailers).toEqual([]);
    expect(prepared.sessionSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const credentials = await sessions().getGitCredentials({ sessionId, userId: world.userId });
    if (!credentials.ok) throw new Error(`credentials failed: ${credentials.reason}`);
    expect(credentials.identity).toBe("user");
    const check = await sim.checkToken(credentials.token, world.owner, world.repo);
    expect(check).toMatchObject({ valid: true, kind: "user", login: world.login, push: true });
    // A fresh token: valid for well over the 10-minute margin by GitHub's (the simulator's) clock.
    const simNow = Date.parse((await sim.getClock()).now);
    expect(Date.parse(credentials.expiresAt ?? "") - simNow).toBeGreaterThan(10 * 60_000);
  });

  it("background: the alarm prepares it with the person's identity", async () => {
    const world = await seedWorld();
    await connect(world);
    const { sessionId, session } = await prepareSessionFor(world, { mode: "background" });
    expect(session.state).toBe("preparing");
    const early = await sessions().getGitCredentials({ sessionId, userId: world.userId });
    expect(early).toMatchObject({ ok: false, reason: "not_ready" });
    expect(await runDurableObjectAlarm(sessionObject(sessionId))).toBe(true);
    const after = await sessions().getSession({ sessionId, userId: world.userId });
    expect(after).toMatchObject({ ok: true, session: { state: "ready", identity: "user" } });
  });
});
