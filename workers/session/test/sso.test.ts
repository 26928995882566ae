/**
 * SAML SSO through a session (#15 §1): a person whose organization enforces SAML, and who has not
 * authorized their token for it, gets a session on the App's token (the tenant is entitled) that says
 * why (`sso_required`) and never carries GitHub's authorize URL — not in the preparation's answer, the
 * events, `getSession` or `getGitCredentials`. Once the person authorizes at GitHub, the session's next
 * credential call answers the person's own token: no reconnect, no new session, and nothing cached from
 * the refusal (git-token's repo-access KV and memo, the session's held App token) stands in the way.
 */
import { describe, expect, it } from "vitest";
import { connect, prepareSessionFor, sessions, sim, testEnv, unique, type World } from "./helpers.ts";

/** GitHub's answers on the repository itself, for this file's organization only (files share the simulator). */
async function repoChecks(owner: string): Promise<number> {
  const calls = await sim.calls({ route: "GET /repos/{owner}/{repo}" });
  return calls.filter((c) => c.path === `/repos/${owner}/widgets`).length;
}

/** A member of an organization that enforces SAML, the App installed there and claimed by a tenant. */
async function samlWorld(): Promise<World> {
  const login = unique("member");
  const person = await sim.seedUser({ login, name: `Member ${login}` });
  const owner = unique("saml-org");
  await sim.seedOrg({ login: owner, members: { [login]: "member" }, samlEnforced: true });
  await sim.seedRepo({ owner, name: "widgets", collaborators: { [login]: "write" } });
  const installation = await sim.seedInstallation({
    app: Number(testEnv.GITHUB_APP_ID),
    account: owner,
    repositories: ["widgets"],
    webhook: false,
  });
  const tenantId = unique("tenant");
  const granted = await testEnv.GIT_TOKEN.grantInstallation({ tenantId, installationId: installation.id });
  if (!granted.ok) throw new Error(`grantInstallation failed: ${granted.reason}`);
  const world: World = {
    login,
    name: `Member ${login}`,
    githubUserId: person.id,
    userId: unique("user"),
    owner,
    repo: "widgets",
    installationId: installation.id,
    tenantId,
  };
  expect(await connect(world)).toMatchObject({ ok: true });
  return world;
}

/** The authorize URLs the simulator handed out for this organization (and their request ids). */
async function ssoSecretsOf(owner: string): Promise<string[]> {
  const requests = (await sim.ssoRequests()).filter((r) => new URL(r.url).pathname === `/orgs/${owner}/sso`);
  return requests.flatMap((r) => [r.url, new URL(r.url).searchParams.get("authorization_request") ?? r.url]);
}

/** Whose token it is, as the simulator issued it. */
async function kindOf(token: string): Promise<string | undefined> {
  return (await sim.issuedTokens()).find((t) => t.token === token)?.kind;
}

describe("a session whose person must authorize SAML SSO", () => {
  it("runs on the App's token saying sso_required, never shows the URL, and uses the person's token once they authorize", async () => {
    const world = await samlWorld();
    const connection = await testEnv.GIT_TOKEN.getConnection({ userId: world.userId });
    const connectionId = connection.ok && connection.connected ? connection.connectionId : "";
    const ref = { sessionId: "", userId: world.userId };

    const prepared = await prepareSessionFor(world, { prefer: "user", access: "write" });
    ref.sessionId = prepared.sessionId;
    expect(prepared.session).toMatchObject({
      state: "ready",
      identity: "app",
      fallbackReason: "sso_required",
      installationId: world.installationId,
    });
    const onApp = await sessions().getGitCredentials(ref);
    expect(onApp).toMatchObject({ ok: true, identity: "app" });
    expect(await kindOf(onApp.ok ? onApp.token : "")).toBe("installation");

    const events = await sessions().getEvents(ref);
    expect(events.ok ? events.events.find((e) => e.type === "prepared") : undefined).toMatchObject({
      reason: "sso_required",
      identity: "app",
    });
    const snapshot = await sessions().getSession(ref);
    expect(snapshot).toMatchObject({ ok: true, session: { fallbackReason: "sso_required" } });

    // GitHub handed out authorize URLs; none reached anything the platform or the agent reads.
    const secrets = await ssoSecretsOf(world.owner);
    expect(secrets.length).toBeGreaterThan(0);
    const seen = JSON.stringify([prepared.session, onApp, events, snapshot]);
    for (const secret of secrets) expect(seen).not.toContain(secret);

    // The person follows the URL (here: the simulator's control API, as the page's Continue does).
    const before = await repoChecks(world.owner);
    await sim.authorizeSso({ org: world.owner, user: world.login });

    // The very next call answers the person's token: the held App token and any cached refusal yield.
    const onPerson = await sessions().getGitCredentials(ref);
    expect(onPerson).toMatchObject({ ok: true, identity: "user", downgraded: false, commitTrailers: [] });
    expect(await kindOf(onPerson.ok ? onPerson.token : "")).toBe("user");
    expect((await repoChecks(world.owner)) - before).toBe(1);
    expect(await sessions().getSession(ref)).toMatchObject({ ok: true, session: { identity: "user" } });
    const after = await sessions().getSession(ref);
    expect(after.ok ? after.session.fallbackReason : "gone").toBeUndefined();
    // Same connection: nobody reconnected.
    expect(await testEnv.GIT_TOKEN.getConnection({ userId: world.userId })).toMatchObject({
      ok: true,
      connected: true,
      connectionId,
      status: "active",
    });
    // Back on the person's token, a fresh token is held again: no GitHub call per hand-out.
    const held = await sessions().getGitCredentials(ref);
    expect(held).toMatchObject({ ok: true, identity: "user", token: onPerson.ok ? onPerson.token : "" });
    expect((await repoChecks(world.owner)) - before).toBe(1);

    const later = await sessions().getEvents(ref);
    const last = later.ok ? later.events.at(-1) : undefined;
    expect(last).toMatchObject({ type: "token_refreshed", identity: "user" });
    for (const secret of await ssoSecretsOf(world.owner)) {
      expect(JSON.stringify([onPerson, held, later, after])).not.toContain(secret);
    }
  });

  it("a refused SSO check is asked again on each call, never answered from a cached verdict", async () => {
    const world = await samlWorld();
    const { sessionId } = await prepareSessionFor(world, { prefer: "user" });
    const ref = { sessionId, userId: world.userId };
    const before = await repoChecks(world.owner);
    for (let i = 0; i < 3; i++) {
      expect(await sessions().getGitCredentials(ref)).toMatchObject({ ok: true, identity: "app" });
    }
    // One person's-path check per hand-out while the person has not acted (nothing cached as "no access").
    expect((await repoChecks(world.owner)) - before).toBe(3);
    const events = await sessions().getEvents(ref);
    // Still on the App for the same reason: no new events for the same answer.
    expect(events.ok ? events.events.map((e) => e.type) : []).toEqual(["prepared"]);
  });
});
