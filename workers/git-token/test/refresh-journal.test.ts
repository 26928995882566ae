/**
 * A refresh whose Postgres write fails after GitHub already rotated the pair: the new pair, journaled
 * (encrypted) in the person's refresher object, is stored by the next call, and the spent refresh token is
 * never tried again. The write fails for real: a trigger in Postgres refuses the UPDATE with the SQLSTATE a
 * cut connection reports.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { githubUserTokens } from "@gitcred/db";
import { generateEncryptionKey, isEncryptedWithPrimaryKey, parseEncryptionKeys } from "@gitcred/utils";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import type { PendingRefresh } from "../src/user/refresh-journal.ts";
import { replayPendingRefresh } from "../src/user/store-refreshed-pair.ts";
import { decryptUserToken } from "../src/user/user-token-crypto.ts";
import {
  connect,
  database,
  expireAccessToken,
  issued,
  letWritesThrough,
  refreshDeps,
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

/**
 * Connects the person, then has their next refresh journaled but not stored (its Postgres write cut);
 * answers the row before it and the refreshed token GitHub issued.
 */
async function journaledRefresh(world: World) {
  expect(await connect(world.userId, world.login)).toMatchObject({ ok: true });
  const row = (await tokenRow(world.userId))!;
  await expireAccessToken(world.userId);
  await refuseWrites(world.userId);
  expect(
    await service().getUserTokenForRepo({ userId: world.userId, owner: world.owner, repo: world.repos[0]! }),
  ).toMatchObject({ ok: false, reason: "database_unavailable" });
  const [journaled] = await refreshedTokensOf(world);
  await letWritesThrough();
  return { row, journaled: journaled! };
}

/** After the access token expires, the person's call answers a token, and not `journaledToken`. */
async function expectFreshTokenPast(world: World, journaledToken: string) {
  await expireAccessToken(world.userId);
  const next = await service().getUserTokenForRepo({
    userId: world.userId,
    owner: world.owner,
    repo: world.repos[0]!,
  });
  expect(next).toMatchObject({ ok: true });
  expect(next.ok && next.token).not.toBe(journaledToken);
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
    const { journaled: orphan } = await journaledRefresh(world);

    // A reconnect writes a new connection id: the journaled pair belongs to no stored connection now.
    const reconnected = await connect(world.userId, world.login);
    expect(reconnected).toMatchObject({ ok: true });
    await expectFreshTokenPast(world, orphan.token);
    await expect.poll(async () => (await sim.checkToken(orphan.token)).valid).toBe(false);
    expect(await journalOf(world.userId)).toBeUndefined();
  });
});

describe("a journaled pair when the person disconnects", () => {
  it("is finished by the disconnect (its grant revoked), so a new connect never sees it", async () => {
    // Left in the refresher's storage, the pair outlived the connection (valid, its grant alive), and a
    // new connect, whose row versions start at 1 again, had its first refresh replay it over its own
    // tokens (the row lock now also names the connection: compare-and-set-user-token.test.ts).
    const world = await seedWorld();
    const { row: first, journaled } = await journaledRefresh(world);
    expect(await journalOf(world.userId)).toMatchObject({ fromVersion: first.version });

    // Not expiring now, so nothing but the journal makes the disconnect refresh.
    await database()
      .update(githubUserTokens)
      .set({ accessExpiresAt: new Date(Date.now() + 3600_000) })
      .where(eq(githubUserTokens.userId, world.userId));
    expect(await service().disconnectUser({ userId: world.userId })).toMatchObject({ ok: true });
    expect(await journalOf(world.userId)).toBeUndefined();
    await expect.poll(async () => (await sim.checkToken(journaled.token)).valid).toBe(false);

    expect(await connect(world.userId, world.login)).toMatchObject({ ok: true });
    const second = (await tokenRow(world.userId))!;
    expect(second).toMatchObject({ version: first.version });
    expect(second.connectionId).not.toBe(first.connectionId);
    await expectFreshTokenPast(world, journaled.token);
    expect((await tokenRow(world.userId))?.connectionId).toBe(second.connectionId);
  });
});

describe("a journaled pair replayed after a key rotation", () => {
  /** Replays a journal holding the row's own pair, as journaled under the project's (old) key. */
  async function replayUnder(keys: string) {
    const world = await seedWorld();
    expect(await connect(world.userId, world.login)).toMatchObject({ ok: true });
    const row = (await tokenRow(world.userId))!;
    const pending: PendingRefresh = {
      userId: row.userId,
      githubUserId: row.githubUserId,
      connectionId: row.connectionId,
      fromVersion: row.version,
      accessTokenEnc: row.accessTokenEnc,
      accessExpiresAt: row.accessExpiresAt?.getTime() ?? null,
      refreshTokenEnc: row.refreshTokenEnc,
      refreshExpiresAt: row.refreshExpiresAt?.getTime() ?? null,
    };
    const racer = await refreshDeps("replay-test");
    const keyring = await parseEncryptionKeys(keys);
    await racer.deps.journal.write(pending);
    const replayed = await replayPendingRefresh({ ...racer.deps, keyring }, world.userId);
    const journal = await racer.deps.journal.read();
    await racer.done();
    return { world, before: row, replayed, journal, keyring };
  }

  it("is written under the newest key, and its tokens still decrypt to the same values", async () => {
    const newest = await generateEncryptionKey("rotated");
    const { world, before, replayed, journal, keyring } = await replayUnder(
      `${newest},${env.TOKEN_ENCRYPTION_KEYS}`,
    );
    expect(replayed).toBe("stored");
    expect(journal).toBeUndefined();
    const after = (await tokenRow(world.userId))!;
    expect(after.version).toBe(before.version + 1);
    expect(isEncryptedWithPrimaryKey(keyring, after.accessTokenEnc)).toBe(true);
    expect(isEncryptedWithPrimaryKey(keyring, after.refreshTokenEnc!)).toBe(true);
    const open = (envelope: string) =>
      decryptUserToken(keyring, "access_token_enc", after.userId, after.githubUserId, envelope);
    expect(await open(after.accessTokenEnc)).toBe(await open(before.accessTokenEnc));
    // The row is now under a key the other tests' keyring does not hold (rotate-keys reads every row).
    await database().delete(githubUserTokens).where(eq(githubUserTokens.userId, world.userId));
  });

  it("whose key was removed is dropped, and the row is left alone", async () => {
    const { world, before, replayed, journal } = await replayUnder(await generateEncryptionKey("only-new"));
    expect(replayed).toBe("none");
    expect(journal).toBeUndefined();
    expect((await tokenRow(world.userId))?.version).toBe(before.version);
  });
});
