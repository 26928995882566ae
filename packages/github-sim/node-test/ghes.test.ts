/**
 * The GitHub Enterprise Server flavor (`startSimulator({ flavor: "ghes" })`): one host, the REST API at
 * `/api/v3` (checked against @octokit/openapi's `ghes-3.17` description), OAuth and device pages at the
 * root, App pages at `/github-apps/<slug>`, and github.com's paths refused — what GitHub's GHES docs
 * describe and what @octokit's clients assume when handed a `<host>/api/v3` base URL.
 */
import { createAppAuth } from "@octokit/auth-app";
import { exchangeWebFlowCode } from "@octokit/oauth-methods";
import { request } from "@octokit/request";
import { describe, expect, it } from "vitest";
import { api, appKeys, CALLBACK, userTokens, useSimulator, webFlowCode } from "./helpers.ts";
import { validateRest } from "./openapi.ts";

const sim = useSimulator({ flavor: "ghes" });

async function checked(method: string, template: string, res: Response, status: number): Promise<unknown> {
  const text = await res.text();
  const body: unknown = text ? JSON.parse(text) : undefined;
  expect(res.status, text).toBe(status);
  const v = validateRest(method, template, res.status, body, "ghes-3.17");
  expect(v.errors, `${method} ${template} ${res.status}`).toEqual([]);
  expect(v.documented).toBe(true);
  return body;
}

describe("GHES layout", () => {
  it("serves the REST API under /api/v3 with GHES's headers and /api/v3 links", async () => {
    expect(sim.apiUrl).toBe(`${sim.url}/api/v3`);
    const jwt = sim.world.jwt();
    const res = await api(sim.apiUrl, "/app/installations/7777", jwt);
    expect(res.headers.get("x-github-enterprise-version")).toMatch(/^3\.\d+\.\d+$/);
    const body = (await checked("GET", "/app/installations/{installation_id}", res, 200)) as Record<
      string,
      unknown
    >;
    expect(body.access_tokens_url).toBe(`${sim.url}/api/v3/app/installations/7777/access_tokens`);

    const minted = await api(sim.apiUrl, "/app/installations/7777/access_tokens", jwt, {
      method: "POST",
      body: JSON.stringify({ repositories: ["widgets"] }),
    });
    const token = (
      (await checked("POST", "/app/installations/{installation_id}/access_tokens", minted, 201)) as {
        token: string;
      }
    ).token;
    const repo = (await checked(
      "GET",
      "/repos/{owner}/{repo}",
      await api(sim.apiUrl, "/repos/acme/widgets", token),
      200,
    )) as Record<string, unknown>;
    expect(repo.url).toBe(`${sim.url}/api/v3/repos/acme/widgets`);
    expect(repo.html_url).toBe(`${sim.url}/acme/widgets`);
    expect(repo.clone_url).toBe(`${sim.url}/acme/widgets.git`);
    const bot = (await checked(
      "GET",
      "/users/{username}",
      await api(sim.apiUrl, "/users/gitcred-test%5Bbot%5D", token),
      200,
    )) as Record<string, unknown>;
    expect(bot.html_url).toBe(`${sim.url}/github-apps/gitcred-test`);
    const root = (await checked("GET", "/", await fetch(`${sim.apiUrl}`), 200)) as Record<string, unknown>;
    expect(root.current_user_url).toBe(`${sim.url}/api/v3/user`);
  });

  it("answers github.com's API paths at the root with 404, and web pages under /api/v3 with 404", async () => {
    const jwt = sim.world.jwt();
    for (const path of ["/app/installations/7777", "/app", "/repos/acme/widgets", "/rate_limit"]) {
      expect((await api(sim.url, path, jwt)).status, path).toBe(404);
    }
    const minted = await api(sim.url, "/app/installations/7777/access_tokens", jwt, { method: "POST" });
    expect(minted.status).toBe(404);
    expect((await fetch(`${sim.apiUrl}/login/oauth/access_token`, { method: "POST" })).status).toBe(404);
    expect((await fetch(`${sim.apiUrl}/login/device/code`, { method: "POST" })).status).toBe(404);
    // Nothing was minted by the refused requests.
    expect((await sim.admin.issuedTokens()).filter((t) => t.kind === "installation")).toEqual([]);
  });

  it("runs the web flow at <host>/login/oauth and the user token reaches <host>/api/v3/user", async () => {
    const { access } = await userTokens(sim.url, sim.admin, sim.world);
    const user = (await checked("GET", "/user", await api(sim.apiUrl, "/user", access), 200)) as Record<
      string,
      unknown
    >;
    expect(user.login).toBe("octocat");
    expect(user.url).toBe(`${sim.url}/api/v3/users/octocat`);
    const installs = await api(sim.apiUrl, "/user/installations", access);
    await checked("GET", "/user/installations", installs, 200);
  });

  it("starts the device flow at <host>/login/device/code with <host>/login/device to visit", async () => {
    const body = await tokenRequestAt(`${sim.url}/login/device/code`, { client_id: sim.world.app.clientId });
    expect(body.verification_uri).toBe(`${sim.url}/login/device`);
    expect(String(body.device_code)).toMatch(/^[0-9a-f]{40}$/);
  });

  it("works with @octokit given only the <host>/api/v3 base (auth-app, oauth-methods)", async () => {
    const ghes = request.defaults({ baseUrl: sim.apiUrl });
    const auth = createAppAuth({
      appId: sim.world.app.id,
      privateKey: appKeys().privateKeyPkcs1Pem,
      request: ghes,
    });
    const { token } = await auth({ type: "installation", installationId: 7777 });
    expect((await api(sim.apiUrl, "/installation/repositories", token)).status).toBe(200);
    // oauth-methods derives the web host by dropping /api/v3, as GHES's layout implies.
    const { code } = await webFlowCode(sim.url, sim.admin, sim.world.app.clientId);
    const { authentication } = await exchangeWebFlowCode({
      clientType: "github-app",
      clientId: sim.world.app.clientId,
      clientSecret: sim.world.app.clientSecret,
      code,
      redirectUrl: CALLBACK,
      request: ghes,
    });
    expect(authentication.token).toMatch(/^ghu_/);
  });

  it("serves the App install page at /github-apps/<slug>/installations/new, not at /apps/", async () => {
    await sim.admin.setSession({ login: "octocat" });
    const page = await fetch(`${sim.url}/github-apps/gitcred-test/installations/new?state=s1`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('action="/github-apps/gitcred-test/installations/new"');
    expect((await fetch(`${sim.url}/apps/gitcred-test/installations/new?state=s1`)).status).toBe(404);
  });

  it("reports its flavor to the control API", async () => {
    expect(await (await fetch(`${sim.url}/_sim/health`)).json()).toMatchObject({ flavor: "ghes" });
    // A reset keeps the layout: it is what the simulator was started as.
    await sim.admin.reset();
    expect((await fetch(`${sim.apiUrl}/rate_limit`)).status).toBe(200);
  });
});

/** Posts a form to a web endpoint asking for JSON (the device flow's start). */
async function tokenRequestAt(url: string, params: Record<string, string>): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method: "POST",
    headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(params),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}
