/**
 * #13 §4: one 401 is not proof. `checkRepoAccess` used to turn a single 401 from `GET /repos/{owner}/{repo}`
 * into `reconnect_required`, after which `getTokenForRepo` answered the App's token and every session of
 * the person switched to the bot for good. The token is now confirmed through `settleRejectedToken`
 * (GitHub's token check) first: a stray 401 changes nothing, a really revoked grant still downgrades.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { connect, seedWorld, service, sim, tokenRow } from "./helpers.ts";

const CHECK_ROUTE = "POST /applications/{client_id}/token";

afterEach(async () => {
  await sim.clearFaults();
});

function tokenFor(world: Awaited<ReturnType<typeof seedWorld>>) {
  return service().getTokenForRepo({
    userId: world.userId,
    tenantId: world.tenantId,
    owner: world.owner,
    repo: world.repos[0]!,
  });
}

describe("a 401 from GitHub on the repository check", () => {
  it("once, with a token GitHub accepts: the person's token, no downgrade, the row untouched", async () => {
    const world = await seedWorld();
    expect(await connect(world.userId, world.login)).toMatchObject({ ok: true });
    const before = await tokenRow(world.userId);
    const checks = await sim.count(CHECK_ROUTE);
    // Nothing is cached for this repository yet: the next lookup asks GitHub, which answers one stray 401.
    await sim.injectFault({
      path: `/repos/${world.owner}/${world.repos[0]!}`,
      method: "GET",
      status: 401,
      body: { message: "Bad credentials" },
      times: 1,
    });
    const result = await tokenFor(world);
    expect(result).toMatchObject({ ok: true, source: "user" });
    expect(result.ok && result.source === "app" ? result.fallbackReason : undefined).toBeUndefined();
    // Confirmed with exactly one token check; the row is as it was (not reconnect_required).
    expect(await sim.count(CHECK_ROUTE)).toBe(checks + 1);
    expect(await tokenRow(world.userId)).toMatchObject({ status: "active", version: before!.version });
    expect(await service().getConnection({ userId: world.userId })).toMatchObject({ status: "active" });
  });

  it("with a revoked grant: confirmed dead, so the App's token with reconnect_required", async () => {
    const world = await seedWorld();
    expect(await connect(world.userId, world.login)).toMatchObject({ ok: true });
    await sim.revokeGrant(Number(env.GITHUB_APP_ID), world.login, { webhook: false });
    const result = await tokenFor(world);
    expect(result).toMatchObject({ ok: true, source: "app", fallbackReason: "reconnect_required" });
    expect(await tokenRow(world.userId)).toMatchObject({ status: "reconnect_required" });
  });

  it("while GitHub's token check is down: a retry time, never a downgrade on a guess", async () => {
    const world = await seedWorld();
    expect(await connect(world.userId, world.login)).toMatchObject({ ok: true });
    await sim.injectFault({
      path: `/repos/${world.owner}/${world.repos[0]!}`,
      method: "GET",
      status: 401,
      times: 1,
    });
    await sim.injectFault({
      path: `/applications/${env.GITHUB_CLIENT_ID}/token`,
      method: "POST",
      status: 503,
      times: null,
    });
    const result = await service().getUserTokenForRepo({
      userId: world.userId,
      owner: world.owner,
      repo: world.repos[0]!,
    });
    expect(result).toMatchObject({ ok: false, reason: "github_unavailable" });
    expect(await tokenRow(world.userId)).toMatchObject({ status: "active" });
  });
});
