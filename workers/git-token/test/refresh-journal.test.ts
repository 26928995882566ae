/**
 * A refresh whose Postgres write fails after GitHub already rotated the pair: the new pair, journaled
 * (encrypted) in the person's refresher object, is stored by the next call, and the spent refresh token is
 * never tried again. The write fails for real: a trigger in Postgres refuses the UPDATE with the SQLSTATE a
 * cut connection reports.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import type { PendingRefresh } from "../src/user/refresh-journal.ts";
import {
  connect,
  expireAccessToken,
  issued,
  letWritesThrough,
  refuseWrites,
  seedWorld,
  service,
  sim,
  tokenRow,
  type World,
} from "./helpers.ts";

afterEach(async () => {
  await letWritesThrough();
  await sim.clearLatency();
});

function journalOf(userId: string): Promise<PendingRefresh | undefined> {
  const stub = env.USER_TOKEN_REFRESHER.get(env.USER_TOKEN_REFRESHER.idFromName(userId));
  return runInDurableObject(stub, (_object, state) => state.storage.get<PendingRefresh>("pending-refresh"));
}

async function refreshedTokensOf(world: World) {
  return (await issued({ kind: "user", userId: world.githubUserId })).filter((t) => t.origin === "refresh");
}

describe("a refreshed pair whose database write failed", () => {
  it("is journaled encrypted, then stored by the next call without a second refresh", async () => {
    const world = await seedWorld();
    expect(await connect(world.userId, world.login)).toMatchObject({ ok: true });
    await expireAccessToken(world.userId);
    const before = await tokenRow(world.userId);
    const call = () =>
      service().getUserTokenForRepo({ userId: world.userId, owner: world.owner, repo: world.repos[0]! });

    await refuseWrites(world.userId);
    expect(await call()).toMatchObject({ ok: false, reason: "database_unavailable" });
    const [refreshed] = await refreshedTokensOf(world);
    expect(refreshed?.status).toBe("active");
    const pending = await journalOf(world.userId);
    expect(pending).toMatchObject({ connectionId: before!.connectionId, fromVersion: before!.version });
    // Encrypted as the row stores it: no token in plaintext in the object's storage.
    const stored = JSON.stringify(pending);
    expect(stored).not.toContain(refreshed!.token);
    expect(stored).not.toMatch(/gh[ur]_/);
    expect((await tokenRow(world.userId))?.version).toBe(before!.version);

    await letWritesThrough();
    const again = await call();
    expect(again).toMatchObject({ ok: true, token: refreshed!.token });
    expect(await refreshedTokensOf(world)).toHaveLength(1);
    const after = await tokenRow(world.userId);
    expect(after).toMatchObject({ status: "active", version: before!.version + 1 });
    expect(await journalOf(world.userId)).toBeUndefined();
    expect(await sim.checkToken(refreshed!.token)).toMatchObject({ valid: true });
  });

  it("whose connection was replaced meanwhile is revoked, not stored", async () => {
    const world = await seedWorld();
    expect(await connect(world.userId, world.login)).toMatchObject({ ok: true });
    await expireAccessToken(world.userId);
    await refuseWrites(world.userId);
    expect(
      await service().getUserTokenForRepo({
        userId: world.userId,
        owner: world.owner,
        repo: world.repos[0]!,
      }),
    ).toMatchObject({ ok: false, reason: "database_unavailable" });
    const [orphan] = await refreshedTokensOf(world);
    await letWritesThrough();

    // A reconnect writes a new connection id: the journaled pair belongs to no stored connection now.
    const reconnected = await connect(world.userId, world.login);
    expect(reconnected).toMatchObject({ ok: true });
    await expireAccessToken(world.userId);
    const next = await service().getUserTokenForRepo({
      userId: world.userId,
      owner: world.owner,
      repo: world.repos[0]!,
    });
    expect(next).toMatchObject({ ok: true });
    expect(next.ok && next.token).not.toBe(orphan!.token);
    await expect.poll(async () => (await sim.checkToken(orphan!.token)).valid).toBe(false);
    expect(await journalOf(world.userId)).toBeUndefined();
  });
});
