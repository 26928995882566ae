/**
 * The warm path (`tokenForRepoFromMemory`: answered from this isolate's memos with no await) grants
 * nothing the long way would refuse. Each attack first warms the memos with an entitled call, then asks
 * as someone else, for more, or after a revocation, through getTokenForRepo as a platform calls it.
 */
import { env } from "cloudflare:workers";
import { sha256Hex } from "@gitcred/utils";
import { describe, expect, it } from "vitest";
import { connect, connectBackend, seedWorld, service, sim, unique } from "./helpers.ts";

/** Warm calls before each attack: enough that every memo the warm path reads is filled. */
const WARM_CALLS = 5;

async function warm<T>(ask: () => Promise<T>): Promise<T> {
  let last = await ask();
  for (let i = 1; i < WARM_CALLS; i++) last = await ask();
  return last;
}

function tokenOf(result: { ok: boolean; token?: string }): string {
  return result.ok && result.token !== undefined ? result.token : "no token";
}

describe("the warm path grants nothing the long way refuses", () => {
  it("the App's token warm for one tenant is not handed to another tenant", async () => {
    const world = await seedWorld();
    const ask = (tenantId: string) =>
      service().getTokenForRepo({ tenantId, owner: world.owner, repo: world.repos[0]!, prefer: "app" });
    const owned = await warm(() => ask(world.tenantId));
    expect(owned).toMatchObject({ ok: true, source: "app" });
    const stranger = await ask(unique("tenant"));
    expect(stranger).toMatchObject({ ok: false, reason: "no_entitlement" });
    expect(JSON.stringify(stranger)).not.toContain(tokenOf(owned));
  });

  it("a revoked grant ends warm App hand-outs at once, also for calls racing the revocation", async () => {
    const world = await seedWorld();
    const ask = () =>
      service().getTokenForRepo({
        tenantId: world.tenantId,
        owner: world.owner,
        repo: world.repos[0]!,
        prefer: "app",
      });
    expect(await warm(ask)).toMatchObject({ ok: true, source: "app" });
    const racing = Array.from({ length: 20 }, ask);
    const revoked = await service().revokeInstallationGrant({
      tenantId: world.tenantId,
      installationId: world.installationId,
    });
    await Promise.all(racing);
    expect(revoked).toEqual({ ok: true, revoked: true });
    const after = await Promise.all(Array.from({ length: 20 }, ask));
    expect(after.map((r) => (r.ok ? "token" : r.reason))).toEqual(Array(20).fill("no_entitlement"));
  });

  it("no person to prefer: the warm answer is the cold one, the App's token with fallbackReason no_user", async () => {
    const world = await seedWorld();
    const ask = () =>
      service().getTokenForRepo({ tenantId: world.tenantId, owner: world.owner, repo: world.repos[0]! });
    const cold = await ask();
    expect(cold).toMatchObject({ ok: true, source: "app", fallbackReason: "no_user" });
    expect(await warm(ask)).toEqual(cold);
  });

  it("a person's warm token is never another person's, connected or not", async () => {
    const world = await seedWorld();
    expect(await connect(world.userId, world.login)).toMatchObject({ ok: true });
    const ask = (userId: string) =>
      service().getTokenForRepo({
        userId,
        tenantId: world.tenantId,
        owner: world.owner,
        repo: world.repos[0]!,
        access: "write",
      });
    const theirs = await warm(() => ask(world.userId));
    expect(theirs).toMatchObject({ ok: true, source: "user" });
    // Someone never connected: the App's token (their tenant's claim), never the person's.
    const stranger = await ask(unique("user"));
    expect(stranger).toMatchObject({ ok: true, source: "app", fallbackReason: "not_connected" });
    expect(tokenOf(stranger)).not.toBe(tokenOf(theirs));
  });

  it("a read verdict in memory does not answer a write ask, and the App's access is not lent for it", async () => {
    const world = await seedWorld({ role: "read" });
    await connect(world.userId, world.login);
    const ask = (access: "read" | "write") =>
      service().getTokenForRepo({
        userId: world.userId,
        tenantId: world.tenantId,
        owner: world.owner,
        repo: world.repos[0]!,
        access,
      });
    expect(await warm(() => ask("read"))).toMatchObject({ ok: true, source: "user", access: "read" });
    expect(await ask("write")).toMatchObject({ ok: false, reason: "no_repo_access" });
  });

  it("a disconnect ends the person's warm token at once: the next call is the App's", async () => {
    const world = await seedWorld();
    await connect(world.userId, world.login);
    const ask = () =>
      service().getTokenForRepo({
        userId: world.userId,
        tenantId: world.tenantId,
        owner: world.owner,
        repo: world.repos[0]!,
        access: "write",
      });
    const theirs = await warm(ask);
    expect(theirs).toMatchObject({ ok: true, source: "user" });
    expect(await connectBackend().disconnectUser({ userId: world.userId })).toMatchObject({ ok: true });
    const after = await ask();
    expect(after).toMatchObject({ ok: true, source: "app", fallbackReason: "not_connected" });
    expect(tokenOf(after)).not.toBe(tokenOf(theirs));
  });

  it("a rejected-token report skips memory: the dead token is not answered from it", async () => {
    const world = await seedWorld();
    await connect(world.userId, world.login);
    const input = {
      userId: world.userId,
      tenantId: world.tenantId,
      owner: world.owner,
      repo: world.repos[0]!,
      access: "write" as const,
    };
    const theirs = await warm(() => service().getTokenForRepo(input));
    expect(theirs).toMatchObject({ ok: true, source: "user" });
    await sim.revokeGrant(Number(env.GITHUB_APP_ID), world.login, { webhook: false });
    const rejectedTokenSha256 = await sha256Hex(tokenOf(theirs));
    const reported = await service().getTokenForRepo({ ...input, rejectedTokenSha256 });
    expect(reported).toMatchObject({ ok: true, source: "app", fallbackReason: "reconnect_required" });
    // And every later call, with no report of its own, in this isolate at once.
    const later = await service().getTokenForRepo(input);
    expect(later).toMatchObject({ ok: true, source: "app", fallbackReason: "reconnect_required" });
    expect([tokenOf(reported), tokenOf(later)]).not.toContain(tokenOf(theirs));
  });
});
