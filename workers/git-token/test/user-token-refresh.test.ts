/**
 * The person's token: refresh through the UserTokenRefresher under real concurrency (real Postgres,
 * the simulator counting every refresh), transient failures, rejected refresh tokens, and the races
 * between refreshers, reconnects and disconnects.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { type RefreshDeps, refreshUserTokenRow } from "../src/user/refresh-user-token-row.ts";
import {
  auditEventsOf,
  connect,
  expireAccessToken,
  holdTokenEndpointAnswer,
  issued,
  refreshDeps,
  seedWorld,
  service,
  sim,
  tokenRow,
  type World,
} from "./helpers.ts";

afterEach(async () => {
  await sim.clearFaults();
  await sim.clearLatency();
});

/** How many refreshes the simulator performed for this person (each issues one `ghu_` of origin "refresh"). */
async function refreshesOf(world: World): Promise<number> {
  return (await issued({ kind: "user", userId: world.githubUserId })).filter((t) => t.origin === "refresh")
    .length;
}

/** How often GitHub was asked about the world's repositories (`GET /repos/{owner}/{repo}`). */
async function repoLookupsOf(world: World): Promise<number> {
  const calls = await sim.calls({ route: "GET /repos/{owner}/{repo}" });
  return calls.filter((c) => c.path.toLowerCase().startsWith(`/repos/${world.owner.toLowerCase()}/`)).length;
}

/** The person's user and refresh tokens the simulator still accepts. */
async function liveTokensOf(world: World): Promise<string[]> {
  const tokens = [
    ...(await issued({ kind: "user", userId: world.githubUserId })),
    ...(await issued({ kind: "refresh", userId: world.githubUserId })),
  ];
  return tokens.filter((t) => t.status === "active").map((t) => t.prefix);
}

/** The racer's dependencies with GitHub's answer to its refresh held back. */
function holdRefreshAnswer(deps: RefreshDeps) {
  const held = holdTokenEndpointAnswer(deps.github.fetch ?? fetch);
  return {
    deps: { ...deps, github: { ...deps.github, fetch: held.fetch } },
    answered: held.answered,
    release: held.release,
  };
}

async function connectedWorld(repos = 1): Promise<World> {
  const world = await seedWorld({ repos });
  const connected = await connect(world.userId, world.login);
  expect(connected).toMatchObject({ ok: true });
  return world;
}

describe("refresh through the person's UserTokenRefresher", () => {
  it("50 concurrent calls on an expired token: one refresh, one token for all, version + 1", async () => {
    const world = await connectedWorld();
    await expireAccessToken(world.userId);
    const before = await tokenRow(world.userId);
    const repo = world.repos[0]!;
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        service().getUserTokenForRepo({ userId: world.userId, owner: world.owner, repo, access: "write" }),
      ),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const tokens = new Set(results.map((r) => (r.ok ? r.token : "")));
    expect(tokens.size).toBe(1);
    expect(await refreshesOf(world)).toBe(1);
    expect(await repoLookupsOf(world)).toBe(1);
    const after = await tokenRow(world.userId);
    expect(after?.version).toBe(before!.version + 1);
    expect(after?.status).toBe("active");
    const [token] = [...tokens];
    expect(await sim.checkToken(token!, world.owner, repo)).toMatchObject({ valid: true, push: true });
  });

  it("the same with the 50 calls spread over 10 repositories", async () => {
    const world = await connectedWorld(10);
    await expireAccessToken(world.userId);
    const before = await tokenRow(world.userId);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        service().getUserTokenForRepo({
          userId: world.userId,
          owner: world.owner,
          repo: world.repos[i % 10]!,
        }),
      ),
    );
    expect(results.map((r) => r.ok)).toEqual(Array(50).fill(true));
    expect(new Set(results.map((r) => (r.ok ? r.token : ""))).size).toBe(1);
    expect(await refreshesOf(world)).toBe(1);
    expect(await repoLookupsOf(world)).toBe(10);
    expect((await tokenRow(world.userId))?.version).toBe(before!.version + 1);
  });

  it("does not refresh a token that is still valid for more than 10 minutes", async () => {
    const world = await connectedWorld();
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        service().getUserTokenForRepo({ userId: world.userId, owner: world.owner, repo: world.repos[0]! }),
      ),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await refreshesOf(world)).toBe(0);
  });

  it.each([
    ["a dropped connection", { kind: "network" as const }, "github_unavailable"],
    ["a 502", { kind: "status" as const, status: 502 }, "github_unavailable"],
    ["a rate limit", { kind: "rate_limit" as const, retryAfter: 120 }, "rate_limited"],
  ])("a transient failure (%s) never marks the row and says when to retry", async (_, fault, reason) => {
    const world = await connectedWorld();
    await expireAccessToken(world.userId);
    const before = await tokenRow(world.userId);
    await sim.injectFault({
      path: "/login/oauth/access_token",
      grantType: "refresh_token",
      times: null,
      ...fault,
    });
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        service().getUserTokenForRepo({ userId: world.userId, owner: world.owner, repo: world.repos[0]! }),
      ),
    );
    for (const result of results) {
      expect(result).toMatchObject({ ok: false, reason });
      expect(result.ok ? 0 : result.retryAfterSeconds).toBeGreaterThan(0);
    }
    const after = await tokenRow(world.userId);
    expect(after).toMatchObject({ status: "active", version: before!.version });
    expect(after?.refreshTokenEnc).toBe(before?.refreshTokenEnc);
    expect(await auditEventsOf(world.userId)).toHaveLength(1); // the connect only
    // GitHub is back: the untouched refresh token still works.
    await sim.clearFaults();
    const healed = await service().getUserTokenForRepo({
      userId: world.userId,
      owner: world.owner,
      repo: world.repos[0]!,
    });
    expect(healed).toMatchObject({ ok: true });
    expect(await refreshesOf(world)).toBe(1);
  });

  it("a rejected refresh token (grant revoked at GitHub) marks the row once, with one audit event", async () => {
    const world = await connectedWorld();
    await expireAccessToken(world.userId);
    const before = await tokenRow(world.userId);
    await sim.revokeGrant(Number(env.GITHUB_APP_ID), world.login, { webhook: false });
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        service().getUserTokenForRepo({ userId: world.userId, owner: world.owner, repo: world.repos[0]! }),
      ),
    );
    expect(results.every((r) => !r.ok && r.reason === "reconnect_required")).toBe(true);
    expect(await tokenRow(world.userId)).toMatchObject({
      status: "reconnect_required",
      version: before!.version + 1,
    });
    const events = (await auditEventsOf(world.userId)).filter((e) => e.event === "refresh_failed");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ caller: "test-consumer", detail: { reason: "bad_refresh_token" } });
    // Later calls answer from the row without asking GitHub again.
    const refreshCalls = await sim.count("POST /login/oauth/access_token");
    const again = await service().getUserTokenForRepo({
      userId: world.userId,
      owner: world.owner,
      repo: world.repos[0]!,
    });
    expect(again).toMatchObject({ ok: false, reason: "reconnect_required" });
    expect(await sim.count("POST /login/oauth/access_token")).toBe(refreshCalls);
  });

  it("an expired refresh token asks for a reconnect without calling GitHub", async () => {
    const world = await connectedWorld();
    await expireAccessToken(world.userId);
    const { database } = await import("./helpers.ts");
    const { githubUserTokens } = await import("@gitcred/db");
    const { eq, sql } = await import("drizzle-orm");
    await database()
      .update(githubUserTokens)
      .set({ refreshExpiresAt: sql`now() - interval '1 second'` })
      .where(eq(githubUserTokens.userId, world.userId));
    const result = await service().getUserTokenForRepo({
      userId: world.userId,
      owner: world.owner,
      repo: world.repos[0]!,
    });
    expect(result).toMatchObject({ ok: false, reason: "reconnect_required" });
    expect(await refreshesOf(world)).toBe(0);
    expect((await auditEventsOf(world.userId)).at(-1)).toMatchObject({
      event: "refresh_failed",
      detail: { reason: "refresh_token_expired" },
    });
  });
});

describe("refresh races, run for real (two refreshers without the Durable Object between them)", () => {
  it("two refreshes racing on one refresh token never clear a valid token", async () => {
    for (let round = 0; round < 4; round++) {
      const world = await connectedWorld();
      await expireAccessToken(world.userId);
      // Both requests reach GitHub before either answer comes back.
      await sim.setLatency({ path: "/login/oauth/access_token", grantType: "refresh_token", delayMs: 150 });
      const [a, b] = await Promise.all([refreshDeps("racer-a"), refreshDeps("racer-b")]);
      const outcomes = await Promise.all([
        refreshUserTokenRow(a.deps, world.userId),
        refreshUserTokenRow(b.deps, world.userId),
      ]);
      await Promise.all([a.done(), b.done()]);
      await sim.clearLatency();
      expect(outcomes.some((o) => o.ok)).toBe(true);
      const row = await tokenRow(world.userId);
      expect(row?.status).toBe("active");
      // Whatever the interleaving, the stored token is the valid one.
      const now = await service().getUserTokenForRepo({
        userId: world.userId,
        owner: world.owner,
        repo: world.repos[0]!,
      });
      expect(now.ok).toBe(true);
      if (now.ok) expect(await sim.checkToken(now.token)).toMatchObject({ valid: true });
      expect(await refreshesOf(world)).toBe(1);
    }
  });

  it("a refresh that loses to a reconnect with another account stores nothing and leaves no live token of the first account", async () => {
    const world = await connectedWorld();
    const other = await seedWorld();
    await expireAccessToken(world.userId);
    const racer = await refreshDeps();
    const held = holdRefreshAnswer(racer.deps);
    const refreshing = refreshUserTokenRow(held.deps, world.userId);
    // GitHub has spent the first account's refresh token and issued a new pair; the answer is on its way.
    await held.answered;
    expect(await refreshesOf(world)).toBe(1);
    const reconnected = await connect(world.userId, other.login);
    expect(reconnected).toMatchObject({ ok: true, replaced: "other_account" });
    held.release();
    const outcome = await refreshing;
    await racer.done();
    // The refresher answers with the new connection's token, never the old account's.
    expect(outcome).toMatchObject({ ok: true, identity: { githubUserId: other.githubUserId } });
    const row = await tokenRow(world.userId);
    expect(row?.githubUserId).toBe(other.githubUserId);
    // The pair arrived for a connection that is gone: it was revoked as an orphan (the refresh itself
    // killed the pair it replaced), so nothing of the first account stays live.
    expect(await liveTokensOf(world)).toEqual([]);
  });

  it("a refresh that loses to a disconnect answers not_connected and revokes its orphan", async () => {
    const world = await connectedWorld();
    await expireAccessToken(world.userId);
    const racer = await refreshDeps();
    const held = holdRefreshAnswer(racer.deps);
    const refreshing = refreshUserTokenRow(held.deps, world.userId);
    // GitHub has spent the refresh token and issued a new pair; the answer is on its way to the racer.
    await held.answered;
    expect(await refreshesOf(world)).toBe(1);
    // Disconnect refreshes through the Durable Object first (a grant is revoked with a live token): the
    // refresh token is spent, so the row is marked and the grant cannot be revoked; the row goes anyway.
    const disconnected = await service().disconnectUser({ userId: world.userId });
    expect(disconnected).toEqual({
      ok: true,
      wasConnected: true,
      grantRevoked: false,
      revokeFailure: "reconnect_required",
    });
    held.release();
    const outcome = await refreshing;
    await racer.done();
    expect(await tokenRow(world.userId)).toBeUndefined();
    expect(outcome).toEqual({ ok: false, reason: "not_connected" });
    expect(await refreshesOf(world)).toBe(1);
    // The racer's pair was revoked as an orphan; the refresh killed the pair before it.
    expect(await liveTokensOf(world)).toEqual([]);
  });
});
