/**
 * Connections: storing them (web flow, device flow, raw tokens), account switches, disconnect,
 * data deletion, revoked grants, the feature gate. Through the service as the connect worker calls it.
 */
import { env } from "cloudflare:workers";
import { githubUserTokens } from "@gitcred/db";
import { exchangeWebFlowCode, startDeviceFlow } from "@gitcred/github";
import { decryptSecret, parseEncryptionKeys } from "@gitcred/utils";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { storeConnectionFromTokens } from "../src/connection/store-connection.ts";
import { getTokenForRepo } from "../src/get-token-for-repo.ts";
import { getUserTokenForRepo } from "../src/user/get-user-token-for-repo.ts";
import { userTokenAad } from "../src/user/user-token-crypto.ts";
import {
  admin,
  auditEventsOf,
  authorizeAt,
  connect,
  connectBackend,
  database,
  issued,
  logicDeps,
  seedWorld,
  service,
  sim,
  tokenRow,
  unique,
  type World,
} from "./helpers.ts";

afterEach(async () => {
  await sim.clearFaults();
});

async function liveUserTokens(githubUserId: number): Promise<number> {
  const tokens = [
    ...(await issued({ kind: "user", userId: githubUserId })),
    ...(await issued({ kind: "refresh", userId: githubUserId })),
  ];
  return tokens.filter((t) => t.status === "active").length;
}

describe("storing a connection", () => {
  it("the web flow stores an encrypted connection bound to its row, audited with the calling worker", async () => {
    const world = await seedWorld();
    const clockBefore = await sim.getClock();
    const connected = await connect(world.userId, world.login);
    const clockAfter = await sim.getClock();
    expect(connected).toMatchObject({
      ok: true,
      githubUserId: world.githubUserId,
      login: world.login,
      replaced: "none",
    });
    const info = await service().getConnection({ userId: world.userId });
    expect(info).toMatchObject({
      ok: true,
      connected: true,
      status: "active",
      login: world.login,
      githubUserId: world.githubUserId,
    });
    if (!info.ok || !info.connected) return;
    // GitHub answers "expires in 8 h" (`expires_in`, and 184 days for the refresh token); git-token counts
    // from when the answer arrived: after GitHub issued the tokens, before the connect returned. Checked
    // against what the simulator recorded for the tokens it issued (to the second, as GitHub's own
    // timestamps), on its clock with its offset taken out.
    const accessTokens = await issued({ kind: "user", userId: world.githubUserId });
    const refreshTokens = await issued({ kind: "refresh", userId: world.githubUserId });
    expect([accessTokens.length, refreshTokens.length]).toEqual([1, 1]);
    const [access] = accessTokens;
    const [refresh] = refreshTokens;
    if (access === undefined || refresh === undefined) throw new Error("the simulator issued no tokens");
    expect(Date.parse(access.expiresAt ?? "") - Date.parse(access.createdAt)).toBe(8 * 3_600_000);
    expect(Date.parse(refresh.expiresAt ?? "") - Date.parse(refresh.createdAt)).toBe(184 * 86_400_000);
    const second = (ms: number) => Math.floor(ms / 1000) * 1000;
    const issuedAfter = second(Date.parse(clockBefore.now)) - clockBefore.offsetMs;
    const returnedBefore = Date.parse(clockAfter.now) - clockAfter.offsetMs;
    for (const [token, stored] of [
      [access, info.accessTokenExpiresAt],
      [refresh, info.refreshTokenExpiresAt],
    ] as const) {
      const issuedAt = Date.parse(token.createdAt) - clockBefore.offsetMs;
      const lifetime = Date.parse(token.expiresAt ?? "") - Date.parse(token.createdAt);
      expect(issuedAt).toBeGreaterThanOrEqual(issuedAfter);
      expect(Date.parse(stored ?? "")).toBeGreaterThanOrEqual(issuedAt + lifetime);
      expect(Date.parse(stored ?? "")).toBeLessThanOrEqual(returnedBefore + lifetime);
    }

    const row = (await tokenRow(world.userId))!;
    expect(row.accessTokenEnc).toMatch(/^v1\.test1\./);
    expect(row.refreshTokenEnc).toMatch(/^v1\.test1\./);
    const keyring = await parseEncryptionKeys(env.TOKEN_ENCRYPTION_KEYS);
    const token = await decryptSecret(
      keyring,
      row.accessTokenEnc,
      userTokenAad("access_token_enc", world.userId, world.githubUserId),
    );
    expect(token).toMatch(/^ghu_/);
    // Moved to another user, another account or the other column: it does not decrypt.
    for (const aad of [
      userTokenAad("access_token_enc", "someone-else", world.githubUserId),
      userTokenAad("access_token_enc", world.userId, world.githubUserId + 1),
      userTokenAad("refresh_token_enc", world.userId, world.githubUserId),
    ]) {
      await expect(decryptSecret(keyring, row.accessTokenEnc, aad)).rejects.toThrow();
    }
    expect(await auditEventsOf(world.userId)).toMatchObject([
      {
        event: "connect",
        caller: "gitcred-connect",
        githubUserId: world.githubUserId,
        detail: { replaced: "none" },
      },
    ]);
  });

  it("storeConnection takes tokens from the connect worker and believes GitHub, not the caller, about who they belong to", async () => {
    const world = await seedWorld();
    const { code, codeVerifier, redirectUri } = await authorizeAt(world.login);
    const config = loadConfig(env);
    const exchanged = await exchangeWebFlowCode(config.github, {
      ...config.oauth!,
      code,
      codeVerifier,
      redirectUri,
    });
    expect(exchanged.ok).toBe(true);
    if (!exchanged.ok) return;
    const stored = await admin().storeConnection({
      userId: world.userId,
      accessToken: exchanged.tokens.accessToken,
      accessTokenExpiresAt: exchanged.tokens.accessTokenExpiresAt?.toISOString() ?? null,
      refreshToken: exchanged.tokens.refreshToken,
      refreshTokenExpiresAt: exchanged.tokens.refreshTokenExpiresAt?.toISOString() ?? null,
    });
    expect(stored).toMatchObject({ ok: true, githubUserId: world.githubUserId });
    const bogus = await admin().storeConnection({
      userId: unique("user"),
      accessToken: `ghu_${"x".repeat(36)}`,
    });
    expect(bogus).toMatchObject({ ok: false, reason: "invalid_token" });
  });

  it("refuses a wrong PKCE verifier and a reused code", async () => {
    const world = await seedWorld();
    const flow = await authorizeAt(world.login);
    const wrong = await connectBackend().connectWithOAuthCode({
      ...flow,
      userId: world.userId,
      codeVerifier: "x".repeat(43),
    });
    expect(wrong).toMatchObject({ ok: false, reason: "bad_verification_code" });
    const second = await authorizeAt(world.login);
    expect(await connectBackend().connectWithOAuthCode({ ...second, userId: world.userId })).toMatchObject({
      ok: true,
    });
    expect(await connectBackend().connectWithOAuthCode({ ...second, userId: world.userId })).toMatchObject({
      ok: false,
      reason: "bad_verification_code",
    });
  });

  it("the device flow: pending, slow_down, then approved and stored here", async () => {
    const world = await seedWorld();
    const config = loadConfig(env);
    const started = await startDeviceFlow(config.github, { clientId: env.GITHUB_CLIENT_ID });
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    const input = { userId: world.userId, deviceCode: started.device.deviceCode };
    expect(await connectBackend().completeDeviceAuthorization(input)).toMatchObject({
      ok: false,
      reason: "authorization_pending",
      retryAfterSeconds: 5,
    });
    expect(await connectBackend().completeDeviceAuthorization(input)).toMatchObject({
      ok: false,
      reason: "slow_down",
      retryAfterSeconds: 10,
    });
    const other = await startDeviceFlow(config.github, { clientId: env.GITHUB_CLIENT_ID });
    if (!other.ok) throw new Error("device flow did not start");
    await sim.authorizeDevice(other.device.userCode, { login: world.login, approve: true });
    expect(
      await connectBackend().completeDeviceAuthorization({
        userId: world.userId,
        deviceCode: other.device.deviceCode,
      }),
    ).toMatchObject({
      ok: true,
      githubUserId: world.githubUserId,
    });
    expect(
      await service().getUserTokenForRepo({
        userId: world.userId,
        owner: world.owner,
        repo: world.repos[0]!,
      }),
    ).toMatchObject({
      ok: true,
    });
  });

  it("a GitHub account connected to another user is refused, and nothing of that connection changes", async () => {
    const world = await seedWorld();
    await connect(world.userId, world.login);
    const before = await tokenRow(world.userId);
    const intruder = unique("user");
    expect(await connect(intruder, world.login)).toMatchObject({ ok: false, reason: "account_in_use" });
    expect(await tokenRow(intruder)).toBeUndefined();
    expect(await tokenRow(world.userId)).toEqual(before);
    // The first user's token still works; the intruder's new token was revoked (the shared grant was not).
    expect(
      await service().getUserTokenForRepo({
        userId: world.userId,
        owner: world.owner,
        repo: world.repos[0]!,
      }),
    ).toMatchObject({
      ok: true,
    });
    await expect.poll(() => liveUserTokens(world.githubUserId), { timeout: 3000 }).toBe(2);
    expect(await auditEventsOf(intruder)).toMatchObject([
      { event: "connect_refused", detail: { reason: "account_in_use" } },
    ]);
  });

  it("a reconnect with the same account gets a new connectionId and revokes the replaced token", async () => {
    const world = await seedWorld();
    const first = await connect(world.userId, world.login);
    const second = await connect(world.userId, world.login);
    expect(second).toMatchObject({ ok: true, replaced: "same_account" });
    expect(first.ok && second.ok && first.connectionId !== second.connectionId).toBe(true);
    await expect.poll(() => liveUserTokens(world.githubUserId), { timeout: 3000 }).toBe(2);
  });
});

describe("account switches never reuse what was learned for the previous account", () => {
  async function twoPeople(): Promise<{ world: World; otherLogin: string; otherId: number; secret: string }> {
    const world = await seedWorld({ repos: 1, role: "write" });
    const otherLogin = unique("person");
    const other = await sim.seedUser({ login: otherLogin });
    // A second repository only the other account can push to.
    await sim.seedRepo({ owner: world.owner, name: "secret", collaborators: { [otherLogin]: "write" } });
    await sim.updateInstallationRepositories(world.installationId, { add: ["secret"], webhook: false });
    return { world, otherLogin, otherId: other.id, secret: "secret" };
  }

  it.each(["disconnect first", "switch directly"])("%s, then connect a different account", async (how) => {
    const { world, otherLogin, otherId, secret } = await twoPeople();
    const ask = (repo: string, access: "read" | "write" = "write") =>
      service().getUserTokenForRepo({ userId: world.userId, owner: world.owner, repo, access });
    await connect(world.userId, world.login);
    expect(await ask(world.repos[0]!)).toMatchObject({ ok: true, identity: { login: world.login } }); // cached: yes
    expect(await ask(secret, "read")).toMatchObject({ ok: false, reason: "no_repo_access" }); // cached: no

    if (how === "disconnect first") {
      expect(await service("gitcred-connect").disconnectUser({ userId: world.userId })).toMatchObject({
        ok: true,
        wasConnected: true,
        grantRevoked: true,
      });
      expect(await ask(world.repos[0]!)).toMatchObject({ ok: false, reason: "not_connected" });
    }
    expect(await connect(world.userId, otherLogin)).toMatchObject({
      ok: true,
      replaced: how === "disconnect first" ? "none" : "other_account",
    });
    // Nothing cached for the first account answers for the second, in either direction.
    expect(await ask(world.repos[0]!, "read")).toMatchObject({ ok: false, reason: "no_repo_access" });
    expect(await ask(secret)).toMatchObject({
      ok: true,
      identity: { githubUserId: otherId, login: otherLogin },
    });
    // And the first account's grant is gone at GitHub.
    await expect.poll(() => liveUserTokens(world.githubUserId), { timeout: 3000 }).toBe(0);
  });
});

describe("disconnect and data deletion", () => {
  it("disconnect revokes the grant and deletes the row; a GitHub outage is reported and never blocks the deletion", async () => {
    const world = await seedWorld();
    await connect(world.userId, world.login);
    await sim.injectFault({ path: "/applications/{client_id}/grant", method: "DELETE", status: 503 });
    const result = await service("gitcred-connect").disconnectUser({ userId: world.userId });
    expect(result).toEqual({
      ok: true,
      wasConnected: true,
      grantRevoked: false,
      revokeFailure: "github_unavailable",
    });
    expect(await tokenRow(world.userId)).toBeUndefined();
    expect(await service().getConnection({ userId: world.userId })).toEqual({ ok: true, connected: false });
    expect((await auditEventsOf(world.userId)).at(-1)).toMatchObject({
      event: "disconnect",
      caller: "gitcred-connect",
      detail: { grantRevoked: false, revokeFailure: "github_unavailable" },
    });
    expect(await service().disconnectUser({ userId: world.userId })).toEqual({
      ok: true,
      wasConnected: false,
      grantRevoked: false,
    });
  });

  it("disconnect of an expired connection refreshes first, so GitHub accepts the grant revocation", async () => {
    const world = await seedWorld();
    await connect(world.userId, world.login);
    const { expireAccessToken } = await import("./helpers.ts");
    await expireAccessToken(world.userId);
    expect(await service().disconnectUser({ userId: world.userId })).toMatchObject({ grantRevoked: true });
    await expect.poll(() => liveUserTokens(world.githubUserId), { timeout: 3000 }).toBe(0);
  });

  it("deleteUserData removes the connection, cached access and pending states, and keeps audit events without personal data", async () => {
    const world = await seedWorld();
    await connect(world.userId, world.login);
    await service().getUserTokenForRepo({ userId: world.userId, owner: world.owner, repo: world.repos[0]! });
    const db = database();
    const { oauthStates, auditEvents } = await import("@gitcred/db");
    await db.insert(oauthStates).values({
      stateHash: unique("state"),
      userId: world.userId,
      browserBindingHash: "b",
      pkceVerifierEnc: "v1.k.iv.ct",
      returnTo: "/settings",
      expiresAt: new Date(Date.now() + 600_000),
    });
    const before = await auditEventsOf(world.userId);
    expect(before.length).toBeGreaterThan(0);
    const result = await admin().deleteUserData({ userId: world.userId });
    expect(result).toMatchObject({
      ok: true,
      tokenRowDeleted: true,
      grantRevoked: true,
      oauthStatesDeleted: 1,
      cacheEntriesDeleted: 1,
      auditEventsAnonymized: before.length,
    });
    expect(await tokenRow(world.userId)).toBeUndefined();
    expect(await auditEventsOf(world.userId)).toEqual([]);
    expect((await env.TOKEN_CACHE.list({ prefix: `repo-access:v1:${world.userId}:` })).keys).toEqual([]);
    const kept = await db.select().from(auditEvents).where(eq(auditEvents.caller, "operator"));
    const deletion = kept.find((e) => e.event === "user_data_deleted");
    expect(deletion).toMatchObject({ userId: null, githubUserId: null });
    expect(JSON.stringify(kept)).not.toContain(world.userId);
    expect(JSON.stringify(kept)).not.toContain(world.login);
  });
});

describe("grant revoked at GitHub (webhook)", () => {
  it("marks the connection only when GitHub confirms the token is dead; a late webhook after a reconnect changes nothing", async () => {
    const world = await seedWorld();
    await connect(world.userId, world.login);
    await sim.revokeGrant(Number(env.GITHUB_APP_ID), world.login, { webhook: false });
    expect(await connectBackend().handleGrantRevoked({ githubUserId: world.githubUserId })).toEqual({
      ok: true,
      affected: true,
    });
    expect(await tokenRow(world.userId)).toMatchObject({ status: "reconnect_required" });
    expect((await auditEventsOf(world.userId)).at(-1)).toMatchObject({
      event: "grant_revoked",
      caller: "gitcred-connect",
    });

    await connect(world.userId, world.login);
    expect(await connectBackend().handleGrantRevoked({ githubUserId: world.githubUserId })).toEqual({
      ok: true,
      affected: false,
    });
    expect(await tokenRow(world.userId)).toMatchObject({ status: "active" });
    expect(await connectBackend().handleGrantRevoked({ githubUserId: 999_999_999 })).toEqual({
      ok: true,
      affected: false,
    });
  });
});

describe("the feature gate ENABLE_GITHUB_USER_TOKENS", () => {
  it("off: people's tokens are never used or stored; the App's token is used as with no user tokens at all", async () => {
    const world = await seedWorld();
    await connect(world.userId, world.login);
    const { deps, done } = logicDeps({ ENABLE_GITHUB_USER_TOKENS: "false" });
    try {
      const input = {
        userId: world.userId,
        owner: world.owner,
        repo: world.repos[0]!,
        access: "write" as const,
      };
      expect(await getUserTokenForRepo(deps, input)).toMatchObject({ ok: false, reason: "disabled" });
      expect(
        await getTokenForRepo(deps, { ...input, tenantId: world.tenantId, prefer: "user" }),
      ).toMatchObject({
        ok: true,
        source: "app",
        fallbackReason: "disabled",
        identity: { kind: "app" },
      });
      const stored = await storeConnectionFromTokens(deps, unique("user"), {
        accessToken: `ghu_${"y".repeat(36)}`,
        accessTokenExpiresAt: null,
        refreshToken: null,
        refreshTokenExpiresAt: null,
        scope: "",
        tokenType: "bearer",
      });
      expect(stored).toMatchObject({ ok: false, reason: "disabled" });
    } finally {
      await done();
    }
    for (const value of ["", "TRUE ", "yes", "1"]) {
      expect(loadConfig({ ...env, ENABLE_GITHUB_USER_TOKENS: value }).userTokensEnabled).toBe(
        value === "TRUE ",
      );
    }
    const [row] = await database()
      .select()
      .from(githubUserTokens)
      .where(eq(githubUserTokens.userId, world.userId));
    expect(row?.status).toBe("active");
  });
});
