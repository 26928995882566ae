/**
 * Installation tokens: one repository per token, minted once and reused (isolate memory, then KV,
 * encrypted) until 10 minutes before expiry, counted at the simulator; the bot identity; failures.
 */
import { env } from "cloudflare:workers";
import { githubInstallations } from "@gitcred/db";
import { decryptSecret, parseEncryptionKeys, secretAad } from "@gitcred/utils";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { clearInstallationTokenMemory } from "../src/installation/installation-token-cache.ts";
import { clearInstallationLookups } from "../src/installation/resolve-installation.ts";
import { connectBackend, database, issued, seedWorld, service, sim, unique } from "./helpers.ts";

afterEach(async () => {
  await sim.clearFaults();
  await sim.setTokenFormat("classic");
});

async function mintedFor(installationId: number): Promise<number> {
  return (await issued({ kind: "installation", installationId })).length;
}

async function kvEntries(prefix: string): Promise<{ key: string; value: string }[]> {
  const page = await env.TOKEN_CACHE.list({ prefix });
  return Promise.all(
    page.keys.map(async (k) => ({ key: k.name, value: (await env.TOKEN_CACHE.get(k.name)) ?? "" })),
  );
}

describe("getInstallationToken", () => {
  it("mints once per repository and reuses the token across many calls, then from KV in a fresh isolate", async () => {
    const world = await seedWorld({ repos: 2 });
    const [a, b] = world.repos as [string, string];
    const burst = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        service().getInstallationToken({ tenantId: world.tenantId, owner: world.owner, repo: i % 2 ? a : b }),
      ),
    );
    expect(burst.every((r) => r.ok)).toBe(true);
    const tokenOf = (repo: string) =>
      new Set(burst.filter((_, i) => (i % 2 ? a : b) === repo).map((r) => (r.ok ? r.token : "")));
    expect(tokenOf(a).size).toBe(1);
    expect(tokenOf(b).size).toBe(1);
    expect([...tokenOf(a)][0]).not.toBe([...tokenOf(b)][0]);
    for (let i = 0; i < 20; i++)
      await service().getInstallationToken({ tenantId: world.tenantId, owner: world.owner, repo: a });
    expect(await mintedFor(world.installationId)).toBe(2);

    // Another isolate: nothing in memory, the encrypted KV entry is found and decrypted.
    clearInstallationTokenMemory();
    clearInstallationLookups();
    const again = await service().getInstallationToken({
      tenantId: world.tenantId,
      owner: world.owner,
      repo: a,
    });
    expect(again.ok && again.token).toBe([...tokenOf(a)][0]);
    expect(await mintedFor(world.installationId)).toBe(2);

    // The token works for its repository only, with the default permissions.
    const token = [...tokenOf(a)][0]!;
    expect(await sim.checkToken(token, world.owner, a)).toMatchObject({ valid: true, push: true });
    expect(await sim.checkToken(token, world.owner, b)).toMatchObject({ pull: false });
    expect(again).toMatchObject({
      ok: true,
      installationId: world.installationId,
      permissions: { contents: "write" },
    });

    // KV holds an envelope bound to its key, never the token: auth-app's entry and the repositories it
    // was minted for, sealed, under the installation's prefix (forgetting the installation lists it).
    const entries = await kvEntries(`installation-token:v2:${env.GITHUB_APP_ID}:${world.installationId}:`);
    expect(entries).toHaveLength(2);
    const keyring = await parseEncryptionKeys(env.TOKEN_ENCRYPTION_KEYS);
    for (const entry of entries) {
      expect(entry.value).not.toContain(token);
      const stored = JSON.parse(entry.value) as { sealed: string };
      expect(stored.sealed).toMatch(/^v1\.test1\./);
      const opened = JSON.parse(
        await decryptSecret(
          keyring,
          stored.sealed,
          secretAad("kv_token_cache", "installation_token", entry.key),
        ),
      ) as { value: string; repositories: { fullName: string }[] };
      expect(opened.repositories).toHaveLength(1);
      expect(opened.value.split("|")[0]).toBe(
        opened.repositories[0]?.fullName.endsWith(`/${a}`) ? token : [...tokenOf(b)][0],
      );
      const moved = entries.find((e) => e.key !== entry.key)!.key;
      await expect(
        decryptSecret(keyring, stored.sealed, secretAad("kv_token_cache", "installation_token", moved)),
      ).rejects.toThrow(/did not authenticate/);
    }
  });

  it("mints a separate, narrower token for other permissions", async () => {
    const world = await seedWorld();
    const repo = world.repos[0]!;
    const write = await service().getInstallationToken({
      tenantId: world.tenantId,
      owner: world.owner,
      repo,
    });
    const read = await service().getInstallationToken({
      tenantId: world.tenantId,
      owner: world.owner,
      repo,
      permissions: { contents: "read" },
    });
    expect(read).toMatchObject({ ok: true, permissions: { contents: "read" } });
    expect(read.ok && write.ok && read.token !== write.token).toBe(true);
    if (read.ok)
      expect(await sim.checkToken(read.token, world.owner, repo)).toMatchObject({ pull: true, push: false });
    expect(await mintedFor(world.installationId)).toBe(2);
  });

  it("never hands out a token within 10 minutes of its expiry: it mints a new one", async () => {
    const world = await seedWorld();
    const route = "POST /app/installations/{installation_id}/access_tokens";
    const before = await sim.count(route);
    // GitHub answers two mints with tokens that expire in 9 minutes: neither may be reused.
    const soon = new Date(Date.now() + 9 * 60_000).toISOString();
    await sim.injectFault({
      path: "/app/installations/{id}/access_tokens",
      method: "POST",
      status: 201,
      body: {
        token: `ghs_${"s".repeat(36)}`,
        expires_at: soon,
        permissions: { contents: "write" },
        // The repository the token is for, as GitHub lists it (gitcred refuses a mint for another one).
        repositories: [{ id: 1, full_name: `${world.owner}/${world.repos[0]}` }],
      },
      times: 2,
    });
    const first = await service().getInstallationToken({
      tenantId: world.tenantId,
      owner: world.owner,
      repo: world.repos[0]!,
    });
    const second = await service().getInstallationToken({
      tenantId: world.tenantId,
      owner: world.owner,
      repo: world.repos[0]!,
    });
    expect(first).toMatchObject({ ok: true, expiresAt: soon });
    expect(second).toMatchObject({ ok: true, expiresAt: soon });
    expect((await sim.count(route)) - before).toBe(2);
    // A real one-hour token is then minted and kept.
    const third = await service().getInstallationToken({
      tenantId: world.tenantId,
      owner: world.owner,
      repo: world.repos[0]!,
    });
    const fourth = await service().getInstallationToken({
      tenantId: world.tenantId,
      owner: world.owner,
      repo: world.repos[0]!,
    });
    expect(third.ok && fourth.ok && third.token === fourth.token).toBe(true);
    expect((await sim.count(route)) - before).toBe(3);
  });

  it("round-trips a 520-character stateless ghs_ token (memory, KV envelope, GitHub accepts it)", async () => {
    await sim.setTokenFormat("stateless");
    const world = await seedWorld();
    const repo = world.repos[0]!;
    const minted = await service().getInstallationToken({
      tenantId: world.tenantId,
      owner: world.owner,
      repo,
    });
    expect(minted.ok).toBe(true);
    if (!minted.ok) return;
    expect(minted.token.length).toBeGreaterThanOrEqual(500);
    expect(minted.token).toMatch(/^ghs_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*-[A-Za-z0-9_-]*$/);
    expect((await issued({ kind: "installation", installationId: world.installationId }))[0]?.token).toBe(
      minted.token,
    );
    clearInstallationTokenMemory();
    const fromKv = await service().getInstallationToken({
      tenantId: world.tenantId,
      owner: world.owner,
      repo,
    });
    expect(fromKv.ok && fromKv.token).toBe(minted.token);
    const res = await fetch(`${env.GITHUB_API_URL}/repos/${world.owner}/${repo}`, {
      headers: { authorization: `Bearer ${minted.token}`, "user-agent": "test" },
    });
    expect(res.status).toBe(200);
  });

  it("answers with the App's bot identity, its user id asked of GitHub once", async () => {
    const world = await seedWorld();
    const before = await sim.count("GET /users/{username}");
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        service().getInstallationToken({
          tenantId: world.tenantId,
          owner: world.owner,
          repo: world.repos[0]!,
        }),
      ),
    );
    const token = results[0]?.ok ? results[0].token : "";
    const bot = (await fetch(`${env.GITHUB_API_URL}/users/${env.GITHUB_APP_SLUG}%5Bbot%5D`, {
      headers: { authorization: `Bearer ${token}`, "user-agent": "test" },
    }).then((r) => r.json())) as { id: number };
    for (const result of results) {
      expect(result).toMatchObject({
        ok: true,
        identity: {
          kind: "app",
          slug: env.GITHUB_APP_SLUG,
          botUserId: bot.id,
          name: `${env.GITHUB_APP_SLUG}[bot]`,
          email: `${bot.id}+${env.GITHUB_APP_SLUG}[bot]@users.noreply.github.com`,
        },
      });
    }
    expect(bot.id).not.toBe(Number(env.GITHUB_APP_ID));
    expect((await sim.count("GET /users/{username}")) - before).toBeLessThanOrEqual(2); // ours (≤1) + this test's
  });

  it("says no_installation, installation_suspended and permissions_not_granted", async () => {
    const owner = unique("lonely");
    await sim.seedOrg({ login: owner });
    await sim.seedRepo({ owner, name: "nothing-here" });
    expect(
      await service().getInstallationToken({ tenantId: "any-tenant", owner, repo: "nothing-here" }),
    ).toMatchObject({
      ok: false,
      reason: "no_installation",
    });

    const world = await seedWorld();
    // Within the ceiling, but the installation was not granted `pull_requests`: GitHub's refusal, mapped.
    await sim.seedInstallation({
      app: Number(env.GITHUB_APP_ID),
      account: world.owner,
      repositories: world.repos,
      permissions: { contents: "write", metadata: "read" },
      webhook: false,
    });
    const denied = await service().getInstallationToken({
      tenantId: world.tenantId,
      owner: world.owner,
      repo: world.repos[0]!,
      permissions: { pull_requests: "write" },
    });
    expect(denied).toMatchObject({ ok: false, reason: "permissions_not_granted" });

    await sim.suspendInstallation(world.installationId, { webhook: false });
    const suspendedRepo = await service().getInstallationToken({
      tenantId: world.tenantId,
      owner: world.owner,
      repo: world.repos[0]!,
      permissions: { contents: "read" },
    });
    expect(suspendedRepo).toMatchObject({ ok: false, reason: "installation_suspended" });
  });

  it("checks a suspension the table reports with GitHub, whose word wins both ways", async () => {
    const world = await seedWorld();
    const repo = world.repos[0]!;
    const ask = () => service().getInstallationToken({ tenantId: world.tenantId, owner: world.owner, repo });
    expect(await ask()).toMatchObject({ ok: true });
    const suspendedAt = async () => {
      const [row] = await database()
        .select()
        .from(githubInstallations)
        .where(eq(githubInstallations.installationId, world.installationId));
      return row?.suspendedAt ?? null;
    };
    // The table says suspended (a webhook GitHub later took back, an unsuspend lost): GitHub says no.
    await database()
      .update(githubInstallations)
      .set({ suspendedAt: new Date() })
      .where(eq(githubInstallations.installationId, world.installationId));
    await connectBackend().forgetInstallation({ installationId: world.installationId });
    expect(await ask()).toMatchObject({ ok: true });
    expect(await suspendedAt()).toBeNull();
    // Suspended at GitHub: refused, and the table learns it.
    await sim.suspendInstallation(world.installationId, { webhook: false });
    await connectBackend().forgetInstallation({ installationId: world.installationId });
    expect(await ask()).toMatchObject({ ok: false, reason: "installation_suspended" });
    expect(await suspendedAt()).not.toBeNull();
  });

  it("notices a repository removed from the installation (stale cache) and asks GitHub again", async () => {
    const world = await seedWorld({ repos: 2 });
    const repo = world.repos[1]!;
    expect(
      await service().getInstallationToken({
        tenantId: world.tenantId,
        owner: world.owner,
        repo,
        permissions: { contents: "read" },
      }),
    ).toMatchObject({
      ok: true,
    });
    await sim.updateInstallationRepositories(world.installationId, { remove: [repo], webhook: false });
    const after = await service().getInstallationToken({
      tenantId: world.tenantId,
      owner: world.owner,
      repo,
      permissions: { metadata: "read" },
    });
    expect(after).toMatchObject({ ok: false, reason: "no_installation" });
  });

  it("forgetInstallation drops every cached token of the installation", async () => {
    const world = await seedWorld({ repos: 2 });
    for (const repo of world.repos)
      await service().getInstallationToken({ tenantId: world.tenantId, owner: world.owner, repo });
    const forgotten = await connectBackend().forgetInstallation({
      installationId: world.installationId,
    });
    expect(forgotten).toEqual({ ok: true, cachedTokensForgotten: 2, claimsEnded: 0 });
    await service().getInstallationToken({
      tenantId: world.tenantId,
      owner: world.owner,
      repo: world.repos[0]!,
    });
    expect(await mintedFor(world.installationId)).toBe(3);
  });

  it.each([
    ["a 500", { kind: "status" as const, status: 500 }, "github_unavailable"],
    ["a dropped connection", { kind: "network" as const }, "github_unavailable"],
    ["a primary rate limit", { kind: "rate_limit" as const, retryAfter: 900 }, "rate_limited"],
    ["a secondary rate limit", { kind: "secondary_rate_limit" as const, retryAfter: 61 }, "rate_limited"],
  ])("reports %s while minting as %s with a retry time", async (_, fault, reason) => {
    const world = await seedWorld();
    await sim.injectFault({ path: "/app/installations/{id}/access_tokens", method: "POST", ...fault });
    const result = await service().getInstallationToken({
      tenantId: world.tenantId,
      owner: world.owner,
      repo: world.repos[0]!,
    });
    expect(result).toMatchObject({ ok: false, reason });
    const wait = result.ok ? 0 : (result.retryAfterSeconds ?? 0);
    expect(wait).toBeGreaterThan(0);
    if (fault.kind === "rate_limit") expect(wait).toBeGreaterThan(800);
    if (fault.kind === "secondary_rate_limit") expect(wait).toBe(61);
    // Nothing bad was cached: the next call mints.
    expect(
      await service().getInstallationToken({
        tenantId: world.tenantId,
        owner: world.owner,
        repo: world.repos[0]!,
      }),
    ).toMatchObject({ ok: true });
  });
});
