/**
 * Renames and transfers (#15 §3), through the simulator as GitHub does them. GitHub resolves a mint's
 * `repositories: [name]` inside the installation's *current* account and redirects a moved repository's
 * old path (301): gitcred must never report a token for another repository under the name asked for,
 * must not hand the old organisation's token to whoever takes its login, and reports a move distinctly.
 */
import { env } from "cloudflare:workers";
import { githubInstallationRepositories, githubInstallations, renameInstallationAccount } from "@gitcred/db";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import {
  claimFor,
  connect,
  connectBackend,
  database,
  issued,
  seedWorld,
  service,
  sim,
  unique,
} from "./helpers.ts";

afterEach(async () => {
  await sim.clearFaults();
});

/** A permission set no earlier call used: its cache key is new, so the call reaches the tables and GitHub. */
const READ = { contents: "read", metadata: "read" } as const;

async function installationRow(installationId: number) {
  const [row] = await database()
    .select()
    .from(githubInstallations)
    .where(eq(githubInstallations.installationId, installationId));
  return row;
}

async function repositoryNames(installationId: number): Promise<string[]> {
  const rows = await database()
    .select()
    .from(githubInstallationRepositories)
    .where(eq(githubInstallationRepositories.installationId, installationId));
  return rows.map((r) => r.fullName);
}

/** Calls to a route whose path names `owner` (other files share the simulator). */
async function callsFor(route: string, owner: string): Promise<number> {
  return (await sim.calls({ route })).filter((c) => c.path.includes(`/${owner}/`)).length;
}

describe("an organisation renamed", () => {
  it("without the webhook: the old name mints no token for the renamed organisation's repository", async () => {
    const world = await seedWorld();
    const repo = world.repos[0]!;
    const first = await service().getInstallationToken({
      tenantId: world.tenantId,
      owner: world.owner,
      repo,
    });
    expect(first.ok).toBe(true);
    const renamed = `${world.owner}-corp`;
    await sim.renameAccount(world.owner, renamed, { webhook: false });

    const before = (await issued({ kind: "installation", installationId: world.installationId })).length;
    const result = await service().getInstallationToken({
      tenantId: world.tenantId,
      owner: world.owner,
      repo,
      permissions: READ,
    });
    // GitHub minted `<org>-corp/repo-0` for the stale name: refused, revoked, never reported.
    expect(result).toMatchObject({ ok: false, reason: "no_installation" });
    const minted = await issued({ kind: "installation", installationId: world.installationId });
    expect(minted).toHaveLength(before + 1);
    expect(minted.at(-1)?.status).toBe("revoked");
    // The installation's account was read again from GitHub: same id, new login, repositories renamed.
    expect(await installationRow(world.installationId)).toMatchObject({ accountLogin: renamed });
    expect(await repositoryNames(world.installationId)).toEqual([`${renamed}/${repo}`.toLowerCase()]);

    // The new name works, for the same installation.
    const again = await service().getInstallationToken({
      tenantId: world.tenantId,
      owner: renamed,
      repo,
      permissions: READ,
    });
    expect(again).toMatchObject({ ok: true, installationId: world.installationId });
    if (again.ok) expect(await sim.checkToken(again.token, renamed, repo)).toMatchObject({ pull: true });
  });

  it("with the webhook (as connect applies installation_target renamed): the cached token goes too", async () => {
    const world = await seedWorld();
    const repo = world.repos[0]!;
    const first = await service().getInstallationToken({
      tenantId: world.tenantId,
      owner: world.owner,
      repo,
    });
    expect(first.ok).toBe(true);
    const renamed = `${world.owner}-corp`;
    await sim.renameAccount(world.owner, renamed);
    const [delivery] = (await sim.deliveries()).filter(
      (d) =>
        d.event === "installation_target" &&
        (d.payload as { installation: { id: number } }).installation.id === world.installationId,
    );
    expect(delivery).toBeDefined();
    const account = (delivery!.payload as { account: { id: number; login: string } }).account;
    expect(account.login).toBe(renamed);
    // What connect's installation_target handler does (tested through its route in connect's tests).
    await renameInstallationAccount(database(), {
      installationId: world.installationId,
      accountId: account.id,
      login: account.login,
    });
    expect(await connectBackend().forgetInstallation({ installationId: world.installationId })).toMatchObject(
      {
        ok: true,
        cachedTokensForgotten: 1,
      },
    );

    const mintsBefore = (await issued({ kind: "installation", installationId: world.installationId })).length;
    const old = await service().getInstallationToken({ tenantId: world.tenantId, owner: world.owner, repo });
    // Same permissions as the cached token: without the webhook's forget, that token would come back.
    expect(old).toMatchObject({ ok: false, reason: "no_installation" });
    expect((await issued({ kind: "installation", installationId: world.installationId })).length).toBe(
      mintsBefore,
    );
    const now = await service().getInstallationToken({ tenantId: world.tenantId, owner: renamed, repo });
    expect(now).toMatchObject({ ok: true, installationId: world.installationId });
  });

  it("whoever takes the old login gets their own installation's token, never the old organisation's", async () => {
    const world = await seedWorld();
    const repo = world.repos[0]!;
    expect(
      (await service().getInstallationToken({ tenantId: world.tenantId, owner: world.owner, repo })).ok,
    ).toBe(true);
    await sim.renameAccount(world.owner, `${world.owner}-corp`, { webhook: false });
    // Someone else's organisation takes the login, with a repository of the same name and the App.
    const taker = await sim.seedOrg({ login: world.owner });
    await sim.seedRepo({ owner: world.owner, name: repo });
    const theirs = await sim.seedInstallation({
      app: Number(env.GITHUB_APP_ID),
      account: world.owner,
      repositories: [repo],
      webhook: false,
    });
    // A platform that serves both (one tenant claimed both installations).
    await claimFor(world.tenantId, theirs.id);

    const result = await service().getInstallationToken({
      tenantId: world.tenantId,
      owner: world.owner,
      repo,
      permissions: READ,
    });
    expect(result).toMatchObject({ ok: true, installationId: theirs.id });
    if (!result.ok) return;
    expect(await sim.checkToken(result.token, world.owner, repo)).toMatchObject({ pull: true });
    expect(await sim.checkToken(result.token, `${world.owner}-corp`, repo)).toMatchObject({ pull: false });
    expect(taker.id).not.toBe((await installationRow(world.installationId))?.accountId);
  });
});

describe("a repository transferred or renamed", () => {
  it("reports repository_moved (GitHub's 301) once, without retrying and without a token", async () => {
    const world = await seedWorld();
    const repo = world.repos[0]!;
    expect(
      (await service().getInstallationToken({ tenantId: world.tenantId, owner: world.owner, repo })).ok,
    ).toBe(true);
    const other = unique("org");
    await sim.seedOrg({ login: other });
    await sim.transferRepo(world.owner, repo, other, { webhook: false });

    const route = "GET /repos/{owner}/{repo}/installation";
    const lookups = await callsFor(route, world.owner);
    const before = (await issued({ kind: "installation" })).length;
    const result = await service().getInstallationToken({
      tenantId: world.tenantId,
      owner: world.owner,
      repo,
      permissions: READ,
    });
    expect(result).toMatchObject({ ok: false, reason: "repository_moved" });
    expect(result.ok ? 0 : result.retryAfterSeconds).toBeUndefined();
    expect(await callsFor(route, world.owner)).toBe(lookups + 1);
    expect((await issued({ kind: "installation" })).length).toBe(before);
  });

  it("names the new repository where the tables know it (a mint by the new name recorded it)", async () => {
    const world = await seedWorld();
    const repo = world.repos[0]!;
    await sim.renameRepo(world.owner, repo, "renamed-repo");
    const [delivery] = (await sim.deliveries()).filter(
      (d) =>
        d.event === "repository" &&
        (d.payload as { repository: { full_name: string } }).repository.full_name ===
          `${world.owner}/renamed-repo`,
    );
    // The test App is not subscribed to `repository`: the tables learn the name from a mint instead.
    expect(delivery).toBeUndefined();
    const now = await service().getInstallationToken({
      tenantId: world.tenantId,
      owner: world.owner,
      repo: "renamed-repo",
    });
    expect(now.ok).toBe(true);
    const old = await service().getInstallationToken({ tenantId: world.tenantId, owner: world.owner, repo });
    expect(old).toMatchObject({
      ok: false,
      reason: "repository_moved",
      movedTo: `${world.owner}/renamed-repo`.toLowerCase(),
    });
  });

  it("the person's path too: repository_moved with the new name GitHub's redirect leads to, nothing cached", async () => {
    const world = await seedWorld();
    await connect(world.userId, world.login);
    const repo = world.repos[0]!;
    await sim.renameRepo(world.owner, repo, "renamed-repo");
    const route = "GET /repos/{owner}/{repo}";
    const asked = () => service().getUserTokenForRepo({ userId: world.userId, owner: world.owner, repo });
    const before = await callsFor(route, world.owner);
    expect(await asked()).toMatchObject({
      ok: false,
      reason: "repository_moved",
      movedTo: `${world.owner}/renamed-repo`,
    });
    // Not remembered as "no access" (nor as access): asked again, GitHub is asked again.
    expect(await asked()).toMatchObject({ ok: false, reason: "repository_moved" });
    expect(await callsFor(route, world.owner)).toBe(before + 2);
    const now = await service().getUserTokenForRepo({
      userId: world.userId,
      owner: world.owner,
      repo: "renamed-repo",
    });
    expect(now.ok).toBe(true);
  });
});
