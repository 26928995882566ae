/**
 * Loading a person's token when the memo misses: concurrent calls of one person share one load (one row
 * read, one connection, one refresh), counted for real at the database proxy and at the simulator; a
 * joiner whose shared load threw loads itself; a disconnect during a load wins over it (the load neither
 * fills the memo nor is joined by calls after the disconnect).
 */
import { env } from "cloudflare:workers";
import { isDatabaseUnavailable } from "@gitcred/db";
import { afterEach, describe, expect, it } from "vitest";
import { gate } from "../../../test-support/gate.ts";
import { loadUserToken } from "../src/user/load-user-token.ts";
import type { RefreshOutcome } from "../src/user/refresh-outcome.ts";
import { userTokenMemo } from "../src/user/user-token-memo.ts";
import {
  connect,
  expireAccessToken,
  issued,
  logicDeps,
  seedWorld,
  service,
  sim,
  type World,
} from "./helpers.ts";

afterEach(async () => {
  await sim.clearLatency();
});

/** Postgres connections the local proxy has opened so far (every pool connection of every worker). */
async function connectionsOpened(): Promise<number> {
  const response = await fetch(`http://${env.DB_WS_PROXY}/stats`);
  const { opened } = (await response.json()) as { opened: number };
  return opened;
}

/** How many refreshes the simulator performed for this person. */
async function refreshesOf(world: World): Promise<number> {
  return (await issued({ kind: "user", userId: world.githubUserId })).filter((t) => t.origin === "refresh")
    .length;
}

async function connectedWorld(): Promise<World> {
  const world = await seedWorld();
  expect(await connect(world.userId, world.login)).toMatchObject({ ok: true });
  return world;
}

describe("concurrent memo misses of one person share one load", () => {
  it("50 concurrent calls on an expired token: one refresh, one shared row read", async () => {
    const world = await connectedWorld();
    const repo = world.repos[0]!;
    // Repo access into KV first, so the storm below is about the token alone.
    expect(
      await service().getUserTokenForRepo({ userId: world.userId, owner: world.owner, repo }),
    ).toMatchObject({ ok: true });
    await expireAccessToken(world.userId);
    userTokenMemo.forget(world.userId);
    await sim.setLatency({ path: "/login/oauth/access_token", grantType: "refresh_token", delayMs: 200 });
    const before = await connectionsOpened();
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        service().getUserTokenForRepo({ userId: world.userId, owner: world.owner, repo, access: "write" }),
      ),
    );
    const opened = (await connectionsOpened()) - before;
    expect(results.every((r) => r.ok)).toBe(true);
    expect(new Set(results.map((r) => (r.ok ? r.token : ""))).size).toBe(1);
    expect(await refreshesOf(world)).toBe(1);
    // One for the shared row read, one for the refresher's own re-read and write (was 51: one per call).
    expect(opened).toBeLessThanOrEqual(2);
  });

  it("50 concurrent calls on a valid token with nothing memoized open one connection", async () => {
    const world = await connectedWorld();
    const repo = world.repos[0]!;
    expect(
      await service().getUserTokenForRepo({ userId: world.userId, owner: world.owner, repo }),
    ).toMatchObject({ ok: true });
    userTokenMemo.forget(world.userId);
    const before = await connectionsOpened();
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        service().getUserTokenForRepo({ userId: world.userId, owner: world.owner, repo }),
      ),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect((await connectionsOpened()) - before).toBe(1);
    expect(await refreshesOf(world)).toBe(0);
  });

  it("a joiner whose shared load threw (the loading call's database was unreachable) loads itself", async () => {
    const world = await connectedWorld();
    // The leading call's pool points at a port where nothing listens.
    const broken = logicDeps({ DATABASE_URL: "postgresql://nobody:unused@127.0.0.1:1/none" });
    const joiners = Array.from({ length: 5 }, () => logicDeps());
    try {
      const leading = loadUserToken(broken.deps, world.userId).then(
        (outcome) => ({ threw: false as const, outcome }),
        (error: unknown) => ({ threw: true as const, error }),
      );
      const joined = joiners.map(({ deps }) => loadUserToken(deps, world.userId));
      const lead = await leading;
      expect(lead.threw).toBe(true);
      if (lead.threw) expect(isDatabaseUnavailable(lead.error)).toBe(true);
      const outcomes = await Promise.all(joined);
      expect(outcomes.map((o) => o.ok)).toEqual(Array(5).fill(true));
      expect(new Set(outcomes.map((o) => (o.ok ? o.token : ""))).size).toBe(1);
    } finally {
      await Promise.all([broken.done(), ...joiners.map((j) => j.done())]);
    }
  });

  it("typed failures are shared as they are: every joiner of a disconnected person gets not_connected", async () => {
    const world = await seedWorld();
    const calls = Array.from({ length: 5 }, () => logicDeps());
    try {
      const before = await connectionsOpened();
      const outcomes = await Promise.all(calls.map(({ deps }) => loadUserToken(deps, world.userId)));
      expect(outcomes).toEqual(Array(5).fill({ ok: false, reason: "not_connected" }));
      expect((await connectionsOpened()) - before).toBe(1);
    } finally {
      await Promise.all(calls.map((c) => c.done()));
    }
  });
});

describe("a disconnect during a load wins over it", () => {
  it("the load does not memoize its token and calls after the disconnect do not join it", async () => {
    const world = await connectedWorld();
    await expireAccessToken(world.userId);
    userTokenMemo.forget(world.userId);
    // The refresher really refreshes; its answer is held back from the loading call until the person
    // has disconnected, as a slow return over RPC would.
    const refreshed = gate();
    const release = gate();
    const loading = logicDeps();
    const deps = {
      ...loading.deps,
      refreshUserToken: async (userId: string): Promise<RefreshOutcome> => {
        const outcome = await loading.deps.refreshUserToken(userId);
        refreshed.open();
        await release.promise;
        return outcome;
      },
    };
    const early = logicDeps();
    const late = logicDeps();
    const again = logicDeps();
    try {
      const first = loadUserToken(deps, world.userId);
      // Joins the load: it began before the disconnect, so the token of that moment is a fair answer.
      const joined = loadUserToken(early.deps, world.userId);
      await refreshed.promise;
      expect(await service("gitcred-connect").disconnectUser({ userId: world.userId })).toMatchObject({
        ok: true,
        wasConnected: true,
      });
      // Started after the disconnect: must read the row itself, not join the load still under way.
      const afterDisconnect = loadUserToken(late.deps, world.userId);
      release.open();
      const [firstOutcome, joinedOutcome, lateOutcome] = await Promise.all([first, joined, afterDisconnect]);
      expect(firstOutcome).toMatchObject({ ok: true });
      expect(joinedOutcome).toEqual(firstOutcome);
      expect(lateOutcome).toMatchObject({ ok: false, reason: "not_connected" });
      // The load finished after the disconnect: its (now revoked) token is not memoized.
      expect(userTokenMemo.get(world.userId)).toBeUndefined();
      expect(await loadUserToken(again.deps, world.userId)).toMatchObject({
        ok: false,
        reason: "not_connected",
      });
    } finally {
      release.open();
      await Promise.all([loading.done(), early.done(), late.done(), again.done()]);
    }
  });
});
