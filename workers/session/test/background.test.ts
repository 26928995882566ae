import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import {
  connect,
  prepareSessionFor,
  seedWorld,
  sessionObject,
  sessions,
  sim,
  unique,
  type World,
} from "./helpers.ts";
import { SESSION_IDLE_TTL_MS } from "./limits.ts";

afterEach(async () => {
  await sim.clearFaults();
});

async function startBackground(world: World) {
  const { sessionId, session } = await prepareSessionFor(world, { mode: "background" });
  expect(session).toMatchObject({ state: "preparing", identity: null });
  return sessionId;
}

async function storedAlarm(sessionId: string): Promise<number | null> {
  return runInDurableObject(sessionObject(sessionId), (_instance, state) => state.storage.getAlarm());
}

describe("background preparation", () => {
  it("survives two transient GitHub failures and ends ready with the person's identity", async () => {
    const world = await seedWorld();
    await connect(world);
    // The person's access check at GitHub fails twice (503), then works.
    await sim.injectFault({
      path: `/repos/${world.owner}/${world.repo}`,
      method: "GET",
      status: 503,
      times: 2,
    });
    const sessionId = await startBackground(world);

    for (const attempt of [1, 2]) {
      expect(await runDurableObjectAlarm(sessionObject(sessionId))).toBe(true);
      const session = await sessions().getSession({ sessionId, userId: world.userId });
      if (!session.ok) throw new Error(session.reason);
      expect(session.session.state).toBe("preparing");
      expect(session.session.preparation.attempts).toBe(attempt);
      const next = Date.parse(session.session.preparation.nextAttemptAt ?? "");
      expect(await storedAlarm(sessionId)).toBe(next);
      const wait = await sessions().getGitCredentials({ sessionId, userId: world.userId });
      expect(wait).toMatchObject({ ok: false, reason: "not_ready" });
      expect(wait.ok ? 0 : (wait.retryAfterSeconds ?? 0)).toBeGreaterThanOrEqual(1);
    }
    expect(await runDurableObjectAlarm(sessionObject(sessionId))).toBe(true);
    const ready = await sessions().getSession({ sessionId, userId: world.userId });
    expect(ready).toMatchObject({
      ok: true,
      session: {
        state: "ready",
        identity: "user",
        author: { name: world.name },
        preparation: { mode: "background", attempts: 3 },
      },
    });
    const credentials = await sessions().getGitCredentials({ sessionId, userId: world.userId });
    expect(credentials).toMatchObject({ ok: true, identity: "user" });

    const events = await sessions().getEvents({ sessionId, userId: world.userId });
    if (!events.ok) throw new Error(events.reason);
    expect(events.events.map((e) => e.type)).toEqual([
      "preparation_scheduled",
      "preparation_retry",
      "preparation_retry",
      "prepared",
    ]);
    expect(events.events[1]).toMatchObject({ reason: "github_unavailable", attempt: 1 });
    // Preparation is over: the alarm now checks when the session ends (its absolute lifetime comes long
    // before 30 idle days), and never later than 30 days after the last use.
    if (!ready.ok) throw new Error(ready.reason);
    expect(await storedAlarm(sessionId)).toBe(Date.parse(ready.session.expiresAt));
    expect(Date.parse(ready.session.expiresAt)).toBeLessThan(
      Date.parse(ready.session.updatedAt) + SESSION_IDLE_TTL_MS,
    );
  });

  it("ends failed with the reason on a permanent failure, without retrying", async () => {
    // Not connected, and the App is not installed: the fallback to the App has nothing to fall back on.
    const world = await seedWorld({ install: false });
    const sessionId = await startBackground(world);
    expect(await runDurableObjectAlarm(sessionObject(sessionId))).toBe(true);
    const session = await sessions().getSession({ sessionId, userId: world.userId });
    expect(session).toMatchObject({
      ok: true,
      session: { state: "failed", failure: { reason: "no_installation" }, preparation: { attempts: 1 } },
    });
    expect(await storedAlarm(sessionId)).toBe(
      Math.min(
        Date.parse(session.ok ? session.session.updatedAt : "") + SESSION_IDLE_TTL_MS,
        Date.parse(session.ok ? session.session.expiresAt : ""),
      ),
    );
    const credentials = await sessions().getGitCredentials({ sessionId, userId: world.userId });
    expect(credentials).toMatchObject({ ok: false, reason: "session_failed" });
    const events = await sessions().getEvents({ sessionId, userId: world.userId });
    expect(events.ok && events.events.at(-1)).toMatchObject({ type: "failed", reason: "no_installation" });
  });

  it("a person who is not connected gets the App's bot, saying why", async () => {
    const world = await seedWorld();
    const sessionId = await startBackground(world);
    await runDurableObjectAlarm(sessionObject(sessionId));
    const session = await sessions().getSession({ sessionId, userId: world.userId });
    expect(session).toMatchObject({
      ok: true,
      session: { state: "ready", identity: "app", fallbackReason: "not_connected", commitTrailers: [] },
    });
  });

  it("preparing a failed session again starts over", async () => {
    const world = await seedWorld();
    const sessionId = unique("s");
    const input = {
      sessionId,
      userId: world.userId,
      tenantId: world.tenantId,
      owner: world.owner,
      repo: world.repo,
    };
    await sim.injectFault({
      path: `/repos/${world.owner}/${world.repo}/installation`,
      status: 502,
      times: 1,
    });
    const first = await sessions().prepareSession({ ...input, mode: "now" });
    expect(first).toMatchObject({ ok: false, reason: "github_unavailable" });
    expect(first.ok ? 0 : first.retryAfterSeconds).toBeGreaterThan(0);
    expect(await sessions().getSession({ sessionId, userId: world.userId })).toMatchObject({
      ok: true,
      session: { state: "failed", failure: { reason: "github_unavailable" } },
    });
    const again = await sessions().prepareSession({ ...input, mode: "now" });
    expect(again).toMatchObject({ ok: true, session: { state: "ready", identity: "app" } });
  });
});
