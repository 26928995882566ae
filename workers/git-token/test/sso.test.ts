/**
 * SAML SSO end to end against the simulator (issue 15 §1): a member's token that is not authorized for
 * an organization enforcing SAML gets `sso_required` naming the organization on the person's path —
 * never `no_repo_access`, and nothing cached; the combined call stands in with the App's token where the
 * tenant is entitled and says the person must act; the authorize URL reaches the settings page's backend
 * only (not GitTokenService, not a token result); once the person authorizes, the next call works with
 * the same connection.
 */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { claimFor, connect, connectBackend, service, sim, unique } from "./helpers.ts";

const REPO_ROUTE = "GET /repos/{owner}/{repo}";

async function samlWorld() {
  const login = unique("member");
  await sim.seedUser({ login });
  const owner = unique("saml-org");
  await sim.seedOrg({ login: owner, members: { [login]: "member" }, samlEnforced: true });
  await sim.seedRepo({ owner, name: "widgets", collaborators: { [login]: "write" } });
  const installation = await sim.seedInstallation({
    app: Number(env.GITHUB_APP_ID),
    account: owner,
    repositories: ["widgets"],
    webhook: false,
  });
  const tenantId = unique("tenant");
  await claimFor(tenantId, installation.id);
  const userId = unique("user");
  expect(await connect(userId, login)).toMatchObject({ ok: true });
  return { login, owner, userId, tenantId, repo: "widgets" };
}

beforeEach(async () => {
  await sim.clearFaults();
});

describe("SAML SSO", () => {
  it("answers sso_required with the organization, caches nothing, and works after the person authorizes", async () => {
    const w = await samlWorld();
    const ask = () => service().getUserTokenForRepo({ userId: w.userId, owner: w.owner, repo: w.repo });
    const before = await sim.count(REPO_ROUTE);
    const first = await ask();
    expect(first).toMatchObject({
      ok: false,
      reason: "sso_required",
      personAction: { kind: "sso_authorization", organization: w.owner },
    });
    // Not cached as "no access" (KV or memo): the next call asks GitHub again.
    expect(await ask()).toMatchObject({ ok: false, reason: "sso_required" });
    expect((await sim.count(REPO_ROUTE)) - before).toBe(2);

    const urls = (await sim.ssoRequests()).map((r) => r.url);
    expect(urls).toHaveLength(2);
    // The URL is in no result the platform or an agent gets.
    expect(JSON.stringify(first)).not.toContain("authorization_request");
    const platformView = await service().getConnection({ userId: w.userId });
    expect(platformView).not.toHaveProperty("ssoRequired");
    // The settings page's backend shows the person where to authorize.
    const personView = await connectBackend().getConnection({ userId: w.userId });
    expect(personView).toMatchObject({ ok: true, connected: true, ssoRequired: { organization: w.owner } });
    const shown = personView.ok && personView.connected ? personView.ssoRequired?.authorizeUrl : undefined;
    expect(urls).toContain(shown);

    // The person follows the URL; the same connection now works, no reconnect.
    const connectionId = platformView.ok && platformView.connected ? platformView.connectionId : "";
    await sim.authorizeSso({ url: shown ?? "" });
    const after = await ask();
    expect(after).toMatchObject({ ok: true, access: "write", identity: { login: w.login } });
    const still = await service().getConnection({ userId: w.userId });
    expect(still).toMatchObject({ ok: true, connected: true, connectionId, status: "active" });
  });

  it("getTokenForRepo stands in with the App where the tenant is entitled, saying the person must act", async () => {
    const w = await samlWorld();
    const result = await service().getTokenForRepo({
      userId: w.userId,
      tenantId: w.tenantId,
      owner: w.owner,
      repo: w.repo,
      access: "write",
    });
    expect(result).toMatchObject({
      ok: true,
      source: "app",
      fallbackReason: "sso_required",
      personAction: { kind: "sso_authorization", organization: w.owner },
    });
    expect(JSON.stringify(result)).not.toContain("authorization_request");
    // Without an entitled tenant: no App token, and the reason still reaches the platform.
    const unentitled = await service().getTokenForRepo({
      userId: w.userId,
      tenantId: unique("other-tenant"),
      owner: w.owner,
      repo: w.repo,
    });
    expect(unentitled).toMatchObject({
      ok: false,
      reason: "no_entitlement",
      fallbackReason: "sso_required",
      personAction: { organization: w.owner },
    });
  });
});
