/**
 * getTokenForRepo: the person's token when it works, the App's only when the person's is unavailable,
 * never when the person lacks access, and never to paper over transient trouble.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { connect, connectBackend, seedWorld, service, sim, unique } from "./helpers.ts";

afterEach(async () => {
  await sim.clearFaults();
});

describe("health", () => {
  it("reports the database, whether each setting is usable, and this isolate's GitHub limit counts", async () => {
    expect(await service().health()).toEqual({
      worker: "gitcred-git-token",
      ok: true,
      database: "ok",
      encryptionKeys: "ok",
      githubApp: "ok",
      oauthClient: "ok",
      userTokens: "enabled",
      permissionCeiling: "ok",
      githubPeakInFlight: expect.stringMatching(/^\d+$/),
      appQuotaHeldBack: expect.stringMatching(/^\d+$/),
      lockoutsSeen: expect.stringMatching(/^\d+$/),
    });
  });
});

describe("getTokenForRepo", () => {
  it("uses the person's token when it works", async () => {
    const world = await seedWorld();
    await connect(world.userId, world.login);
    const result = await service().getTokenForRepo({
      userId: world.userId,
      tenantId: world.tenantId,
      owner: world.owner,
      repo: world.repos[0]!,
      access: "write",
    });
    expect(result).toMatchObject({
      ok: true,
      source: "user",
      access: "write",
      identity: {
        kind: "user",
        githubUserId: world.githubUserId,
        login: world.login,
        name: `Person ${world.login}`,
        email: `${world.githubUserId}+${world.login}@users.noreply.github.com`,
      },
    });
    expect(result).not.toHaveProperty("fallbackReason");
  });

  it("falls back to the App when the person is not connected, with the narrowest permissions", async () => {
    const world = await seedWorld();
    const read = await service().getTokenForRepo({
      userId: world.userId,
      tenantId: world.tenantId,
      owner: world.owner,
      repo: world.repos[0]!,
    });
    expect(read).toMatchObject({
      ok: true,
      source: "app",
      fallbackReason: "not_connected",
      permissions: { contents: "read", metadata: "read" },
      identity: { kind: "app" },
    });
    if (read.ok)
      expect(await sim.checkToken(read.token, world.owner, world.repos[0])).toMatchObject({ push: false });
    const noUser = await service().getTokenForRepo({
      tenantId: world.tenantId,
      owner: world.owner,
      repo: world.repos[0]!,
      access: "write",
    });
    expect(noUser).toMatchObject({
      ok: true,
      source: "app",
      fallbackReason: "no_user",
      permissions: { contents: "write" },
    });
  });

  it("falls back when the person must reconnect", async () => {
    const world = await seedWorld();
    await connect(world.userId, world.login);
    await sim.revokeGrant(Number(env.GITHUB_APP_ID), world.login, { webhook: false });
    await connectBackend().handleGrantRevoked({ githubUserId: world.githubUserId });
    expect(
      await service().getTokenForRepo({
        userId: world.userId,
        tenantId: world.tenantId,
        owner: world.owner,
        repo: world.repos[0]!,
      }),
    ).toMatchObject({ ok: true, source: "app", fallbackReason: "reconnect_required" });
  });

  it("never lends the App's access to a person who lacks it", async () => {
    const world = await seedWorld({ role: "read" });
    await connect(world.userId, world.login);
    const write = await service().getTokenForRepo({
      userId: world.userId,
      tenantId: world.tenantId,
      owner: world.owner,
      repo: world.repos[0]!,
      access: "write",
    });
    expect(write).toMatchObject({ ok: false, reason: "no_repo_access" });
    // A repository of the installation the person cannot see at all.
    await sim.seedRepo({ owner: world.owner, name: "hidden" });
    await sim.updateInstallationRepositories(world.installationId, { add: ["hidden"], webhook: false });
    expect(
      await service().getTokenForRepo({
        userId: world.userId,
        tenantId: world.tenantId,
        owner: world.owner,
        repo: "hidden",
      }),
    ).toMatchObject({ ok: false, reason: "no_repo_access" });
    // Read is fine.
    expect(
      await service().getTokenForRepo({
        userId: world.userId,
        tenantId: world.tenantId,
        owner: world.owner,
        repo: world.repos[0]!,
      }),
    ).toMatchObject({ ok: true, source: "user", access: "read" });
  });

  it("reports transient trouble instead of switching identity", async () => {
    const world = await seedWorld();
    await connect(world.userId, world.login);
    await sim.injectFault({ path: `/repos/${world.owner}/${world.repos[0]}`, method: "GET", status: 500 });
    const result = await service().getTokenForRepo({
      userId: world.userId,
      tenantId: world.tenantId,
      owner: world.owner,
      repo: world.repos[0]!,
    });
    expect(result).toMatchObject({ ok: false, reason: "github_unavailable" });
    expect(result.ok ? 0 : result.retryAfterSeconds).toBeGreaterThan(0);
  });

  it("prefer: app uses the App without a fallback reason, even for a connected person", async () => {
    const world = await seedWorld();
    await connect(world.userId, world.login);
    const result = await service().getTokenForRepo({
      userId: world.userId,
      tenantId: world.tenantId,
      owner: world.owner,
      repo: world.repos[0]!,
      prefer: "app",
    });
    expect(result).toMatchObject({ ok: true, source: "app", identity: { kind: "app" } });
    expect(result).not.toHaveProperty("fallbackReason");
  });

  it("says why it fell back when the App cannot help either", async () => {
    const owner = unique("org");
    await sim.seedOrg({ login: owner });
    await sim.seedRepo({ owner, name: "lonely" });
    expect(
      await service().getTokenForRepo({
        userId: unique("user"),
        tenantId: "any-tenant",
        owner,
        repo: "lonely",
      }),
    ).toMatchObject({
      ok: false,
      reason: "no_installation",
      fallbackReason: "not_connected",
    });
  });

  it("caches repo access per connection in KV: positive 5 minutes, negative 60 seconds", async () => {
    const world = await seedWorld({ repos: 1 });
    await sim.seedRepo({ owner: world.owner, name: "closed" });
    await sim.updateInstallationRepositories(world.installationId, { add: ["closed"], webhook: false });
    const connected = await connect(world.userId, world.login);
    if (!connected.ok) throw new Error("connect failed");
    const before = await sim.count("GET /repos/{owner}/{repo}");
    for (let i = 0; i < 3; i++) {
      await service().getUserTokenForRepo({
        userId: world.userId,
        owner: world.owner,
        repo: world.repos[0]!,
      });
      await service().getUserTokenForRepo({ userId: world.userId, owner: world.owner, repo: "closed" });
    }
    expect((await sim.count("GET /repos/{owner}/{repo}")) - before).toBe(2);
    const prefix = `repo-access:v1:${world.userId}:${connected.connectionId}:`;
    const keys = (await env.TOKEN_CACHE.list({ prefix })).keys;
    const byName = Object.fromEntries(keys.map((k) => [k.name.slice(prefix.length), k.expiration ?? 0]));
    const now = Date.now() / 1000;
    const open = `${world.owner}/${world.repos[0]}`.toLowerCase();
    const closed = `${world.owner}/closed`.toLowerCase();
    expect(Object.keys(byName).sort()).toEqual([closed, open].sort());
    expect(byName[open]! - now).toBeGreaterThan(240);
    expect(byName[open]! - now).toBeLessThanOrEqual(301);
    expect(byName[closed]! - now).toBeLessThanOrEqual(61);
    expect(JSON.parse((await env.TOKEN_CACHE.get(`${prefix}${closed}`)) ?? "{}")).toEqual({
      pull: false,
      push: false,
    });
  });
});
