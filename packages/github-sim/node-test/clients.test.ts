/**
 * Real clients against the simulator: @octokit/auth-app mints installation tokens,
 * @octokit/oauth-methods exchanges codes, refreshes, checks and deletes tokens and grants.
 */
import { createAppAuth } from "@octokit/auth-app";
import {
  checkToken,
  deleteAuthorization,
  deleteToken,
  exchangeWebFlowCode,
  refreshToken,
} from "@octokit/oauth-methods";
import { request } from "@octokit/request";
import { describe, expect, it } from "vitest";
import { api, appKeys, CALLBACK, simClockAround, userTokens, useSimulator, webFlowCode } from "./helpers.ts";

const sim = useSimulator();
const simRequest = () => request.defaults({ baseUrl: sim.url });

describe("@octokit/auth-app", () => {
  it("mints installation tokens (PKCS#1 key, by installation id and for one repository)", async () => {
    const auth = createAppAuth({
      appId: sim.world.app.id,
      privateKey: appKeys().privateKeyPkcs1Pem,
      request: simRequest(),
    });
    const app = await auth({ type: "app" });
    expect((await api(sim.url, "/app", app.token)).status).toBe(200);

    const {
      result: full,
      from,
      to,
    } = await simClockAround(sim.admin, () => auth({ type: "installation", installationId: 7777 }));
    expect(full.token).toMatch(/^ghs_[0-9A-Za-z]{36}$/);
    expect(full.repositorySelection).toBe("selected");
    expect(Date.parse(full.expiresAt) - 3600_000).toBeGreaterThanOrEqual(from);
    expect(Date.parse(full.expiresAt) - 3600_000).toBeLessThanOrEqual(to);

    const scoped = await auth({
      type: "installation",
      installationId: 7777,
      repositoryNames: ["widgets"],
      permissions: { contents: "write" },
      refresh: true,
    });
    expect(scoped.permissions).toEqual({ contents: "write", metadata: "read" });
    expect(scoped.repositoryIds).toEqual([1296269]);
    const check = await sim.admin.checkToken(scoped.token, "acme", "widgets");
    expect(check).toMatchObject({
      valid: true,
      kind: "installation",
      push: true,
      login: "gitcred-test[bot]",
    });
    expect((await sim.admin.checkToken(scoped.token, "acme", "public-site")).push).toBe(false);
  });

  it("works with the client id as issuer and finds the installation of a repository through its hook", async () => {
    const auth = createAppAuth({
      appId: sim.world.app.id,
      clientId: sim.world.app.clientId,
      privateKey: appKeys().privateKeyPkcs8Pem,
      request: simRequest(),
    });
    const requestWithAuth = simRequest().defaults({ request: { hook: auth.hook } });
    const { data } = await requestWithAuth("GET /repos/{owner}/{repo}/installation", {
      owner: "acme",
      repo: "widgets",
    });
    expect(data.id).toBe(7777);
    const repo = await requestWithAuth("GET /repos/{owner}/{repo}", {
      owner: "acme",
      repo: "widgets",
      request: { hook: undefined },
      headers: {
        authorization: `token ${(await auth({ type: "installation", installationId: data.id })).token}`,
      },
    });
    expect(repo.data.permissions?.push).toBe(true);
  });

  it("recovers from a skewed clock through the Date header (GitHub's JWT messages)", async () => {
    await sim.admin.advanceClock(3 * 3600);
    const auth = createAppAuth({
      appId: sim.world.app.id,
      privateKey: appKeys().privateKeyPkcs1Pem,
      request: simRequest(),
    });
    const requestWithAuth = simRequest().defaults({ request: { hook: auth.hook } });
    const { data } = await requestWithAuth("GET /app");
    expect(data?.slug).toBe("gitcred-test");
  });

  it("mints stateless ~520-character ghs_ tokens when selected", async () => {
    await sim.admin.setTokenFormat("stateless");
    const auth = createAppAuth({
      appId: sim.world.app.id,
      privateKey: appKeys().privateKeyPkcs1Pem,
      request: simRequest(),
    });
    const { token } = await auth({ type: "installation", installationId: 7777 });
    expect(token.startsWith("ghs_")).toBe(true);
    expect(token.length).toBeGreaterThanOrEqual(500);
    expect(token.length).toBeLessThanOrEqual(540);
    expect(token).toContain(".");
    expect(token).toContain("-");
    expect((await api(sim.url, "/repos/acme/widgets", token)).status).toBe(200);
  });
});

describe("@octokit/oauth-methods", () => {
  it("exchanges a web-flow code (github-app: expiring token + refresh token)", async () => {
    const { code } = await webFlowCode(sim.url, sim.admin, sim.world.app.clientId);
    const {
      result: { authentication },
      from,
      to,
    } = await simClockAround(sim.admin, () =>
      exchangeWebFlowCode({
        clientType: "github-app",
        clientId: sim.world.app.clientId,
        clientSecret: sim.world.app.clientSecret,
        code,
        redirectUrl: CALLBACK,
        request: simRequest(),
      }),
    );
    expect(authentication.token).toMatch(/^ghu_[0-9A-Za-z]{36}$/);
    if (!("refreshToken" in authentication))
      throw new Error("expected an expiring token with a refresh token");
    expect(authentication.refreshToken).toMatch(/^ghr_[0-9A-Za-z]{76}$/);
    // Eight hours after GitHub issued it (oauth-methods adds expires_in to its own clock: allow its skew).
    expect(Date.parse(authentication.expiresAt) - 8 * 3600_000).toBeGreaterThanOrEqual(from - 1000);
    expect(Date.parse(authentication.expiresAt) - 8 * 3600_000).toBeLessThanOrEqual(to + 1000);
    expect((await api(sim.url, "/user", authentication.token)).status).toBe(200);
  });

  it("refreshes (rotation kills the old pair) and rejects a reused refresh token", async () => {
    const first = await userTokens(sim.url, sim.admin, sim.world);
    const { authentication } = await refreshToken({
      clientType: "github-app",
      clientId: sim.world.app.clientId,
      clientSecret: sim.world.app.clientSecret,
      refreshToken: first.refresh,
      request: simRequest(),
    });
    expect(authentication.token).not.toBe(first.access);
    expect((await api(sim.url, "/user", authentication.token)).status).toBe(200);
    expect((await api(sim.url, "/user", first.access)).status).toBe(401);
    const reuse = refreshToken({
      clientType: "github-app",
      clientId: sim.world.app.clientId,
      clientSecret: sim.world.app.clientSecret,
      refreshToken: first.refresh,
      request: simRequest(),
    });
    await expect(reuse).rejects.toMatchObject({
      status: 400,
      response: { data: { error: "bad_refresh_token" } },
    });
  });

  it("checks a token, deletes a token, deletes a grant", async () => {
    const common = {
      clientType: "github-app" as const,
      clientId: sim.world.app.clientId,
      clientSecret: sim.world.app.clientSecret,
      request: simRequest(),
    };
    const a = await userTokens(sim.url, sim.admin, sim.world);
    const checked = await checkToken({ ...common, token: a.access });
    expect(checked.data.user?.login).toBe("octocat");
    expect(checked.authentication.token).toBe(a.access);

    await deleteToken({ ...common, token: a.access });
    await expect(checkToken({ ...common, token: a.access })).rejects.toMatchObject({ status: 404 });

    const b = await userTokens(sim.url, sim.admin, sim.world);
    const c = await userTokens(sim.url, sim.admin, sim.world);
    await deleteAuthorization({ ...common, token: b.access });
    expect((await api(sim.url, "/user", c.access)).status).toBe(401);
    expect(await sim.admin.grants()).toEqual([]);
  });
});
