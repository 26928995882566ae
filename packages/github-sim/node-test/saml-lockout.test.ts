/**
 * SAML SSO enforcement and the failed-login lockout, as GitHub documents them ("Authenticating to the
 * REST API"): the 403 with `X-GitHub-SSO: required; url=...` (one hour), `partial-results` on a
 * listing, the same token working once authorized; several refused tokens of one person lock every
 * authentication of theirs out with a 403 for a while.
 */
import { describe, expect, it } from "vitest";
import { api, userTokens, useSimulator } from "./helpers.ts";
import { validateRest } from "./openapi.ts";

const sim = useSimulator();

describe("SAML SSO enforcement", () => {
  it("refuses a member's unauthorized token with the authorize URL, and the same token works after", async () => {
    const { access } = await userTokens(sim.url, sim.admin, sim.world);
    await sim.admin.setSamlEnforcement("acme", true);
    const refused = await api(sim.url, "/repos/acme/widgets", access);
    expect(refused.status).toBe(403);
    const body = await refused.json();
    expect(body.message).toBe(
      "Resource protected by organization SAML enforcement. You must grant your OAuth token access to this organization.",
    );
    expect(validateRest("GET", "/repos/{owner}/{repo}", 403, body).errors).toEqual([]);
    const header = refused.headers.get("x-github-sso") ?? "";
    const match = /^required; url=(.+)$/.exec(header);
    expect(match).not.toBeNull();
    const url = match?.[1] ?? "";
    expect(new URL(url).pathname).toBe("/orgs/acme/sso");
    expect((await sim.admin.ssoRequests()).map((r) => r.url)).toContain(url);

    // The page the URL opens, then Continue (as signing in at the identity provider).
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('id="sso-continue"');
    const request = new URL(url).searchParams.get("authorization_request") ?? "";
    const post = await fetch(`${sim.url}/orgs/acme/sso`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ authorization_request: request }).toString(),
    });
    expect(await post.text()).toContain('id="sso-authorized"');
    const after = await api(sim.url, "/repos/acme/widgets", access);
    expect(after.status).toBe(200);
    expect(after.headers.get("x-github-sso")).toBeNull();
  });

  it("the authorize URL expires after an hour; installation tokens are not subject", async () => {
    const { access } = await userTokens(sim.url, sim.admin, sim.world);
    await sim.admin.setSamlEnforcement("acme", true);
    const refused = await api(sim.url, "/repos/acme/widgets", access);
    const url = (refused.headers.get("x-github-sso") ?? "").replace(/^required; url=/, "");
    // Installation tokens are authorized for SAML SSO automatically.
    const minted = await fetch(`${sim.url}/app/installations/${sim.world.installation.id}/access_tokens`, {
      method: "POST",
      headers: { authorization: `Bearer ${sim.world.jwt()}`, accept: "application/vnd.github+json" },
    });
    const { token } = (await minted.json()) as { token: string };
    expect((await api(sim.url, "/repos/acme/widgets", token)).status).toBe(200);
    await sim.admin.advanceClock(3601);
    await expect(sim.admin.authorizeSso({ url })).rejects.toThrow(/410/);
    expect((await fetch(url)).status).toBe(410);
  });

  it("a listing across organizations leaves SAML orgs out and names them", async () => {
    const { access } = await userTokens(sim.url, sim.admin, sim.world);
    const before = await api(sim.url, "/user/installations", access);
    expect((await before.json()).total_count).toBe(1);
    expect(before.headers.get("x-github-sso")).toBeNull();
    await sim.admin.setSamlEnforcement("acme", true);
    const partial = await api(sim.url, "/user/installations", access);
    const body = await partial.json();
    expect(body.total_count).toBe(0);
    expect(validateRest("GET", "/user/installations", 200, body).errors).toEqual([]);
    expect(partial.headers.get("x-github-sso")).toBe("partial-results; organizations=9919");
    await sim.admin.authorizeSso({ org: "acme", user: "octocat" });
    const full = await api(sim.url, "/user/installations", access);
    expect((await full.json()).total_count).toBe(1);
  });
});

describe("failed login lockout", () => {
  it("refused tokens of one person lock out their valid token too, with GitHub's 403, until it passes", async () => {
    await sim.admin.setSettings({ lockoutThreshold: 3, lockoutWindowSeconds: 60, lockoutSeconds: 300 });
    const dead = await userTokens(sim.url, sim.admin, sim.world);
    await sim.admin.revokeToken(dead.access);
    const live = await userTokens(sim.url, sim.admin, sim.world);
    for (let i = 0; i < 3; i++) expect((await api(sim.url, "/user", dead.access)).status).toBe(401);
    const locked = await api(sim.url, "/user", live.access);
    expect(locked.status).toBe(403);
    expect((await locked.json()).message).toBe(
      "Maximum number of login attempts exceeded. Please try again later.",
    );
    await sim.admin.advanceClock(301);
    expect((await api(sim.url, "/user", live.access)).status).toBe(200);
  });

  it("refusals spread out beyond the window do not lock anyone out", async () => {
    await sim.admin.setSettings({ lockoutThreshold: 3, lockoutWindowSeconds: 60 });
    const dead = await userTokens(sim.url, sim.admin, sim.world);
    await sim.admin.revokeToken(dead.access);
    const live = await userTokens(sim.url, sim.admin, sim.world);
    for (let i = 0; i < 5; i++) {
      expect((await api(sim.url, "/user", dead.access)).status).toBe(401);
      await sim.admin.advanceClock(31);
    }
    expect((await api(sim.url, "/user", live.access)).status).toBe(200);
  });
});
