/**
 * `rejectedTokenSha256`: a caller reports that GitHub refused the person's token. git-token asks GitHub
 * about the stored token only when the hash names it, marks a dead one's row once (so nobody is handed it
 * again), and never marks anything on a guess while GitHub is unreachable.
 */
import { env } from "cloudflare:workers";
import { sha256Hex } from "@gitcred/utils";
import { afterEach, describe, expect, it } from "vitest";
import { auditEventsOf, connect, seedWorld, service, sim, tokenRow, type World } from "./helpers.ts";

/** The route GitHub's token check (`POST /applications/{client_id}/token`) is counted under. */
const CHECK_ROUTE = "POST /applications/{client_id}/token";
const REFRESH_ROUTE = "POST /login/oauth/access_token#refresh_token";

afterEach(async () => {
  await sim.clearFaults();
});

/** A connected person and the token git-token hands out for their repository now. */
async function connectedWithToken(): Promise<{ world: World; token: string }> {
  const world = await seedWorld();
  expect(await connect(world.userId, world.login)).toMatchObject({ ok: true });
  const first = await service().getUserTokenForRepo({
    userId: world.userId,
    owner: world.owner,
    repo: world.repos[0]!,
  });
  if (!first.ok) throw new Error(`no token: ${first.reason}`);
  return { world, token: first.token };
}

function tokenFor(world: World, rejectedTokenSha256?: string) {
  return service().getTokenForRepo({
    userId: world.userId,
    tenantId: world.tenantId,
    owner: world.owner,
    repo: world.repos[0]!,
    ...(rejectedTokenSha256 === undefined ? {} : { rejectedTokenSha256 }),
  });
}

describe("a rejected token reported with its hash", () => {
  it("revoked grant: falls back to the App, marks the row once, and never hands the dead token out again", async () => {
    const { world, token } = await connectedWithToken();
    const before = await tokenRow(world.userId);
    const eventsBefore = (await auditEventsOf(world.userId)).length;
    await sim.revokeGrant(Number(env.GITHUB_APP_ID), world.login, { webhook: false });

    const result = await tokenFor(world, await sha256Hex(token));
    expect(result).toMatchObject({ ok: true, source: "app", fallbackReason: "reconnect_required" });
    expect(await tokenRow(world.userId)).toMatchObject({
      status: "reconnect_required",
      version: before!.version + 1,
    });
    const events = (await auditEventsOf(world.userId)).slice(eventsBefore);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      event: "refresh_failed",
      caller: "test-consumer",
      detail: { reason: "bad_refresh_token", trigger: "token_rejected" },
    });

    // Later callers without a hint (other sessions, the platform) no longer get the dead token.
    expect(await tokenFor(world)).toMatchObject({
      ok: true,
      source: "app",
      fallbackReason: "reconnect_required",
    });
    expect(
      await service().getUserTokenForRepo({
        userId: world.userId,
        owner: world.owner,
        repo: world.repos[0]!,
      }),
    ).toMatchObject({ ok: false, reason: "reconnect_required" });
  });

  it("a token GitHub still accepts comes back unchanged, after one check, with the row untouched", async () => {
    const { world, token } = await connectedWithToken();
    const before = await tokenRow(world.userId);
    const checks = await sim.count(CHECK_ROUTE);
    const refreshes = await sim.count(REFRESH_ROUTE);

    const result = await tokenFor(world, await sha256Hex(token));
    expect(result).toMatchObject({ ok: true, source: "user", token });
    expect(await sim.count(CHECK_ROUTE)).toBe(checks + 1);
    expect(await sim.count(REFRESH_ROUTE)).toBe(refreshes);
    const after = await tokenRow(world.userId);
    expect(after).toMatchObject({ status: "active", version: before!.version });
    expect(after?.accessTokenEnc).toBe(before?.accessTokenEnc);
  });

  it("a dead access token whose refresh token still works: one forced refresh, the new token, the row active", async () => {
    const { world, token } = await connectedWithToken();
    const before = await tokenRow(world.userId);
    const refreshes = await sim.count(REFRESH_ROUTE);
    await sim.revokeToken(token);

    const result = await tokenFor(world, await sha256Hex(token));
    expect(result).toMatchObject({ ok: true, source: "user" });
    if (!result.ok) throw new Error(result.reason);
    expect(result.token).not.toBe(token);
    expect(await sim.checkToken(result.token, world.owner, world.repos[0])).toMatchObject({ valid: true });
    expect(await sim.count(REFRESH_ROUTE)).toBe(refreshes + 1);
    expect(await tokenRow(world.userId)).toMatchObject({ status: "active", version: before!.version + 1 });
  });

  it("a hash of an older token is ignored: the current token, without asking GitHub", async () => {
    const { world, token: older } = await connectedWithToken();
    // Someone already got a new token (here: a reconnect) before the report arrived.
    expect(await connect(world.userId, world.login)).toMatchObject({ ok: true });
    const refreshed = await tokenFor(world);
    if (!refreshed.ok || refreshed.source !== "user") throw new Error("no refreshed token");
    expect(refreshed.token).not.toBe(older);
    const before = await tokenRow(world.userId);
    const checks = await sim.count(CHECK_ROUTE);

    const result = await tokenFor(world, await sha256Hex(older));
    expect(result).toMatchObject({ ok: true, source: "user", token: refreshed.token });
    expect(await sim.count(CHECK_ROUTE)).toBe(checks);
    expect(await tokenRow(world.userId)).toMatchObject({ status: "active", version: before!.version });
  });

  it.each([
    ["a 502", { kind: "status" as const, status: 502 }, "github_unavailable"],
    ["a rate limit", { kind: "rate_limit" as const, retryAfter: 120 }, "rate_limited"],
  ])("GitHub trouble on the check (%s): a retry time, the row never marked", async (_, fault, reason) => {
    const { world, token } = await connectedWithToken();
    const before = await tokenRow(world.userId);
    const eventsBefore = (await auditEventsOf(world.userId)).length;
    await sim.revokeGrant(Number(env.GITHUB_APP_ID), world.login, { webhook: false });
    await sim.injectFault({
      path: `/applications/${env.GITHUB_CLIENT_ID}/token`,
      method: "POST",
      times: null,
      ...fault,
    });
    const hint = await sha256Hex(token);

    const result = await tokenFor(world, hint);
    expect(result).toMatchObject({ ok: false, reason });
    expect(result.ok ? 0 : result.retryAfterSeconds).toBeGreaterThan(0);
    expect(result).not.toHaveProperty("fallbackReason");
    expect(await tokenRow(world.userId)).toMatchObject({ status: "active", version: before!.version });
    expect(await auditEventsOf(world.userId)).toHaveLength(eventsBefore);

    // GitHub is back: the same report now settles it.
    await sim.clearFaults();
    expect(await tokenFor(world, hint)).toMatchObject({
      ok: true,
      source: "app",
      fallbackReason: "reconnect_required",
    });
  });

  it("20 concurrent reports of one revoked token: one check, one refresh attempt, the row marked once", async () => {
    const { world, token } = await connectedWithToken();
    const before = await tokenRow(world.userId);
    const eventsBefore = (await auditEventsOf(world.userId)).length;
    await sim.revokeGrant(Number(env.GITHUB_APP_ID), world.login, { webhook: false });
    const checks = await sim.count(CHECK_ROUTE);
    const refreshes = await sim.count(REFRESH_ROUTE);
    const hint = await sha256Hex(token);

    const results = await Promise.all(Array.from({ length: 20 }, () => tokenFor(world, hint)));
    for (const result of results) {
      expect(result).toMatchObject({ ok: true, source: "app", fallbackReason: "reconnect_required" });
    }
    expect(await tokenRow(world.userId)).toMatchObject({
      status: "reconnect_required",
      version: before!.version + 1,
    });
    expect((await auditEventsOf(world.userId)).slice(eventsBefore)).toHaveLength(1);
    expect(await sim.count(CHECK_ROUTE)).toBe(checks + 1);
    expect(await sim.count(REFRESH_ROUTE)).toBe(refreshes + 1);
  });
});
