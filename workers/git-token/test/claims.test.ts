/**
 * Authorization of the App path, each attack run for real against the simulator and Postgres: the App's
 * token goes only to a tenant that claimed the repository's installation, never above the permission
 * ceiling, and a revoked claim or a deleted installation ends it at once. Counted: mints and GitHub calls.
 */
import { exports } from "cloudflare:workers";
import { installationClaims } from "@gitcred/db";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { GitTokenAdmin } from "../src/entrypoints/git-token-admin.ts";
import { GitTokenConnectBackend } from "../src/entrypoints/git-token-connect-backend.ts";
import { GitTokenService } from "../src/entrypoints/git-token-service.ts";
import {
  admin,
  auditEvents,
  connect,
  connectBackend,
  database,
  githubCalls,
  mints,
  seedWorld,
  service,
  sim,
  unique,
} from "./helpers.ts";

async function claimRows(tenantId: string, installationId: number) {
  return database()
    .select()
    .from(installationClaims)
    .where(
      and(eq(installationClaims.tenantId, tenantId), eq(installationClaims.installationId, installationId)),
    );
}

describe("the App's token only for an entitled tenant", () => {
  it("a person refused a repository gets no App token after disconnecting, nor does one who never connected", async () => {
    // acme's installation covers `secret`; another tenant claimed it. The person can read nothing of it.
    const acme = await seedWorld({ role: "read" });
    const secret = "secret";
    await sim.seedRepo({ owner: acme.owner, name: secret });
    await sim.updateInstallationRepositories(acme.installationId, { add: [secret], webhook: false });
    const ownTenant = unique("tenant");
    await connect(acme.userId, acme.login);
    const ask = (userId: string) =>
      service().getTokenForRepo({
        userId,
        tenantId: ownTenant,
        owner: acme.owner,
        repo: secret,
        access: "write",
      });
    expect(await ask(acme.userId)).toMatchObject({ ok: false, reason: "no_repo_access" });

    // They disconnect (the grant is revoked at GitHub too): their token is unavailable now.
    expect(await service().disconnectUser({ userId: acme.userId })).toMatchObject({
      ok: true,
      wasConnected: true,
    });
    const mintsBefore = await mints();
    expect(await ask(acme.userId)).toMatchObject({
      ok: false,
      reason: "no_entitlement",
      fallbackReason: "not_connected",
    });
    // Never connected, with or without a tenant, through every App path.
    const stranger = unique("user");
    expect(await ask(stranger)).toMatchObject({
      ok: false,
      reason: "no_entitlement",
      fallbackReason: "not_connected",
    });
    expect(
      await service().getTokenForRepo({ userId: stranger, owner: acme.owner, repo: secret, prefer: "app" }),
    ).toMatchObject({ ok: false, reason: "no_entitlement" });
    expect(
      await service().getInstallationToken({ tenantId: ownTenant, owner: acme.owner, repo: secret }),
    ).toMatchObject({ ok: false, reason: "no_entitlement" });
    expect(await mints()).toBe(mintsBefore);

    // The premise: the tenant that claimed the installation does get the App's token there.
    expect(
      await service().getInstallationToken({ tenantId: acme.tenantId, owner: acme.owner, repo: secret }),
    ).toMatchObject({ ok: true, installationId: acme.installationId });
  });

  it("another tenant's repository answers no_entitlement and mints nothing, even with the token cached", async () => {
    const world = await seedWorld();
    const repo = world.repos[0]!;
    const owned = await service().getInstallationToken({
      tenantId: world.tenantId,
      owner: world.owner,
      repo,
    });
    expect(owned).toMatchObject({ ok: true });
    const before = await mints();
    const other = await service().getInstallationToken({
      tenantId: unique("tenant"),
      owner: world.owner,
      repo,
    });
    expect(other).toMatchObject({ ok: false, reason: "no_entitlement" });
    expect(JSON.stringify(other)).not.toContain(owned.ok ? owned.token : "unreachable");
    expect(await mints()).toBe(before);
  });

  it("revokeInstallationGrant ends the entitlement at once, also for calls racing it", async () => {
    const world = await seedWorld();
    const repo = world.repos[0]!;
    const ask = () => service().getInstallationToken({ tenantId: world.tenantId, owner: world.owner, repo });
    expect(await ask()).toMatchObject({ ok: true }); // cached in memory and KV, entitlement memoized
    const racing = Array.from({ length: 20 }, ask);
    const revoked = await service().revokeInstallationGrant({
      tenantId: world.tenantId,
      installationId: world.installationId,
    });
    await Promise.all(racing);
    expect(revoked).toEqual({ ok: true, revoked: true });
    // Every call after the revocation answered is refused, whatever raced it.
    const after = await Promise.all(Array.from({ length: 20 }, ask));
    expect(after.every((r) => !r.ok && r.reason === "no_entitlement")).toBe(true);
    expect(await claimRows(world.tenantId, world.installationId)).toHaveLength(0);
    expect(
      await service().revokeInstallationGrant({
        tenantId: world.tenantId,
        installationId: world.installationId,
      }),
    ).toEqual({
      ok: true,
      revoked: false,
    });
    const events = await auditEvents("installation_grant_revoked");
    expect(events.some((e) => e.detail.tenantId === world.tenantId && e.detail.revoked === true)).toBe(true);
  });

  it("a deleted installation (the webhook's forgetInstallation) ends every tenant's claim at once", async () => {
    const world = await seedWorld();
    const second = unique("tenant");
    await service().grantInstallation({ tenantId: second, installationId: world.installationId });
    const repo = world.repos[0]!;
    for (const tenantId of [world.tenantId, second]) {
      expect(await service().getInstallationToken({ tenantId, owner: world.owner, repo })).toMatchObject({
        ok: true,
      });
    }
    const forgotten = await connectBackend().forgetInstallation({
      installationId: world.installationId,
      deleted: true,
    });
    expect(forgotten).toMatchObject({ ok: true, claimsEnded: 2 });
    for (const tenantId of [world.tenantId, second]) {
      expect(await service().getInstallationToken({ tenantId, owner: world.owner, repo })).toMatchObject({
        ok: false,
        reason: "no_entitlement",
      });
    }
  });

  it("a request above the permission ceiling answers permissions_not_granted with 0 GitHub calls", async () => {
    const world = await seedWorld();
    const before = await githubCalls();
    for (const permissions of [
      { administration: "write" },
      { contents: "admin" },
      { metadata: "write" },
    ] as const) {
      expect(
        await service().getInstallationToken({
          tenantId: world.tenantId,
          owner: world.owner,
          repo: world.repos[0]!,
          permissions,
        }),
      ).toMatchObject({ ok: false, reason: "permissions_not_granted" });
    }
    expect(await githubCalls()).toBe(before);
    // Within the ceiling (pull requests, for PR work) it is minted.
    expect(
      await service().getInstallationToken({
        tenantId: world.tenantId,
        owner: world.owner,
        repo: world.repos[0]!,
        permissions: { contents: "write", pull_requests: "write" },
      }),
    ).toMatchObject({ ok: true, permissions: { contents: "write", pull_requests: "write" } });
  });
});

describe("claims", () => {
  it("grantInstallation asks GitHub, records the claim once, lists it and audits it", async () => {
    const world = await seedWorld({ claim: false });
    const tenantId = unique("tenant");
    expect(await service().grantInstallation({ tenantId, installationId: 987_654_321 })).toMatchObject({
      ok: false,
      reason: "no_installation",
    });
    expect(await service().grantInstallation({ tenantId, installationId: world.installationId })).toEqual({
      ok: true,
      created: true,
    });
    expect(await service().grantInstallation({ tenantId, installationId: world.installationId })).toEqual({
      ok: true,
      created: false,
    });
    expect(await service().listInstallationGrants({ tenantId })).toMatchObject({
      ok: true,
      claims: [{ tenantId, installationId: world.installationId, via: "grant", accountLogin: world.owner }],
    });
    const events = await auditEvents("installation_granted");
    expect(events.filter((e) => e.detail.tenantId === tenantId).map((e) => e.detail.created)).toEqual([
      true,
      false,
    ]);
    expect(
      await service().getInstallationToken({ tenantId, owner: world.owner, repo: world.repos[0]! }),
    ).toMatchObject({ ok: true });
  });

  it("claimInstallationAsUser claims only what the person's own token can see", async () => {
    const world = await seedWorld({ claim: false });
    // Someone with no access to the org: the installation is not in their GET /user/installations.
    const outsider = await seedWorld({ claim: false });
    await connect(outsider.userId, outsider.login);
    const tenantId = unique("tenant");
    expect(
      await connectBackend().claimInstallationAsUser({
        userId: outsider.userId,
        tenantId,
        installationId: world.installationId,
      }),
    ).toMatchObject({ ok: false, reason: "installation_not_visible" });
    expect(await claimRows(tenantId, world.installationId)).toHaveLength(0);
    expect(
      await connectBackend().claimInstallationAsUser({
        userId: unique("user"),
        tenantId,
        installationId: world.installationId,
      }),
    ).toMatchObject({ ok: false, reason: "not_connected" });

    await connect(world.userId, world.login);
    expect(
      await connectBackend().claimInstallationAsUser({
        userId: world.userId,
        tenantId,
        installationId: world.installationId,
      }),
    ).toEqual({ ok: true, created: true, accountLogin: world.owner });
    expect(await claimRows(tenantId, world.installationId)).toMatchObject([
      { via: "install_flow", claimedByUserId: world.userId },
    ]);
  });

  it("claimKnownInstallations (the upgrade step) claims the installations gitcred already recorded", async () => {
    const world = await seedWorld({ claim: false });
    // The deployment used it before claims existed: the installation is recorded (as a mint records it).
    await service().grantInstallation({ tenantId: unique("earlier"), installationId: world.installationId });
    const tenantId = unique("tenant");
    expect(
      await service().getInstallationToken({ tenantId, owner: world.owner, repo: world.repos[0]! }),
    ).toMatchObject({ ok: false, reason: "no_entitlement" });
    expect(
      await admin().claimKnownInstallations({ tenantId, installationIds: [world.installationId] }),
    ).toEqual({
      ok: true,
      claimed: [world.installationId],
      alreadyClaimed: [],
    });
    expect(
      await admin().claimKnownInstallations({ tenantId, installationIds: [world.installationId] }),
    ).toEqual({
      ok: true,
      claimed: [],
      alreadyClaimed: [world.installationId],
    });
    expect(
      await service().getInstallationToken({ tenantId, owner: world.owner, repo: world.repos[0]! }),
    ).toMatchObject({ ok: true });
  });
});

describe("entrypoints by role", () => {
  // RPC exposes exactly an entrypoint's prototype methods: what is not on the class cannot be called
  // through its binding (workerd answers "does not implement"), whatever the caller's code tries.
  const methods = (entrypoint: { prototype: object }) =>
    new Set(Object.getOwnPropertyNames(entrypoint.prototype));
  const inherited = (entrypoint: { prototype: object }) =>
    new Set([...methods(entrypoint), ...methods(Object.getPrototypeOf(entrypoint) as { prototype: object })]);

  it("the connect worker's entrypoint has no method that returns, mints or stores a token", () => {
    const connect = inherited(GitTokenConnectBackend);
    for (const method of [
      "getTokenForRepo",
      "getInstallationToken",
      "getUserTokenForRepo",
      "storeConnection",
      "deleteUserData",
      "grantInstallation",
      "revokeInstallationGrant",
      "claimKnownInstallations",
    ]) {
      expect(connect.has(method), method).toBe(false);
    }
    expect(connect.has("connectWithOAuthCode")).toBe(true);
    expect(connect.has("claimInstallationAsUser")).toBe(true);
  });

  it("the platform's entrypoint cannot erase, store tokens, migrate claims or act for the connect flows", () => {
    const platform = inherited(GitTokenService);
    for (const method of [
      "storeConnection",
      "deleteUserData",
      "claimKnownInstallations",
      "connectWithOAuthCode",
      "completeDeviceAuthorization",
      "claimInstallationAsUser",
      "handleGrantRevoked",
      "forgetInstallation",
    ]) {
      expect(platform.has(method), method).toBe(false);
    }
    const operator = inherited(GitTokenAdmin);
    for (const method of ["getTokenForRepo", "getInstallationToken", "getUserTokenForRepo"]) {
      expect(operator.has(method), method).toBe(false);
    }
  });

  it("a binding that names no entrypoint reaches nothing: the default export only answers 404", async () => {
    const fallback = (exports as unknown as { default: Fetcher }).default;
    expect((await fallback.fetch("http://git-token.test/")).status).toBe(404);
  });
});
