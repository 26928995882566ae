/**
 * Every REST route the simulator serves, checked against @octokit/openapi: the status is one the
 * operation documents and the body matches its response schema.
 */
import { describe, expect, it } from "vitest";
import { api, userTokens, useSimulator } from "./helpers.ts";
import { validateRest } from "./openapi.ts";

const sim = useSimulator();

async function check(
  method: string,
  template: string,
  res: Response,
  expectedStatus: number,
): Promise<unknown> {
  const text = await res.text();
  const body: unknown = text ? JSON.parse(text) : undefined;
  expect(res.status, text).toBe(expectedStatus);
  const v = validateRest(method, template, res.status, body);
  expect(v.errors, `${method} ${template} ${res.status}`).toEqual([]);
  expect(v.documented, `${method} ${template} documents ${res.status}`).toBe(true);
  return body;
}

async function installationToken(body: Record<string, unknown> = {}): Promise<string> {
  const res = await api(
    sim.url,
    `/app/installations/${sim.world.installation.id}/access_tokens`,
    sim.world.jwt(),
    {
      method: "POST",
      body: JSON.stringify(body),
    },
  );
  return ((await res.json()) as { token: string }).token;
}

function basic(): string {
  return `Basic ${btoa(`${sim.world.app.clientId}:${sim.world.app.clientSecret}`)}`;
}

describe("REST answers match @octokit/openapi", () => {
  it("GET / (meta/root): the index of URL templates, unauthenticated", async () => {
    const body = (await check("GET", "/", await fetch(`${sim.url}/`), 200)) as Record<string, unknown>;
    expect(body.repository_url).toBe(`${sim.url}/repos/{owner}/{repo}`);
  });

  it("GET /app", async () => {
    const body = (await check("GET", "/app", await api(sim.url, "/app", sim.world.jwt()), 200)) as Record<
      string,
      unknown
    >;
    expect(body.id).toBe(123456);
    expect(body.slug).toBe("gitcred-test");
  });

  it("GET /app/installations/{installation_id}: 200 and 404", async () => {
    const ok = await api(sim.url, "/app/installations/7777", sim.world.jwt());
    const body = (await check("GET", "/app/installations/{installation_id}", ok, 200)) as Record<
      string,
      unknown
    >;
    expect(body.repository_selection).toBe("selected");
    await check(
      "GET",
      "/app/installations/{installation_id}",
      await api(sim.url, "/app/installations/1", sim.world.jwt()),
      404,
    );
  });

  it("GET /repos/{owner}/{repo}/installation: 200 and 404", async () => {
    const t = "/repos/{owner}/{repo}/installation";
    const body = (await check(
      "GET",
      t,
      await api(sim.url, "/repos/acme/widgets/installation", sim.world.jwt()),
      200,
    )) as {
      id: number;
    };
    expect(body.id).toBe(7777);
    await check("GET", t, await api(sim.url, "/repos/acme/secret/installation", sim.world.jwt()), 404);
  });

  it("POST /app/installations/{installation_id}/access_tokens: 201, 422, 404", async () => {
    const t = "/app/installations/{installation_id}/access_tokens";
    const post = (id: number, body: unknown) =>
      api(sim.url, `/app/installations/${id}/access_tokens`, sim.world.jwt(), {
        method: "POST",
        body: JSON.stringify(body),
      });
    const body = (await check(
      "POST",
      t,
      await post(7777, { repositories: ["widgets"], permissions: { contents: "write" } }),
      201,
    )) as {
      permissions: Record<string, string>;
      repositories: { full_name: string }[];
    };
    expect(body.permissions).toEqual({ contents: "write", metadata: "read" });
    expect(body.repositories.map((r) => r.full_name)).toEqual(["acme/widgets"]);
    await check("POST", t, await post(7777, { repositories: ["secret"] }), 422);
    await check("POST", t, await post(7777, { permissions: { administration: "write" } }), 422);
    await check("POST", t, await post(4242, {}), 404);
  });

  it("DELETE /installation/token: 204", async () => {
    const token = await installationToken();
    await check(
      "DELETE",
      "/installation/token",
      await api(sim.url, "/installation/token", token, { method: "DELETE" }),
      204,
    );
    expect((await api(sim.url, "/installation/repositories", token)).status).toBe(401);
  });

  it("GET /installation/repositories", async () => {
    const token = await installationToken();
    const body = (await check(
      "GET",
      "/installation/repositories",
      await api(sim.url, "/installation/repositories", token),
      200,
    )) as {
      total_count: number;
    };
    expect(body.total_count).toBe(2);
  });

  it("GET /users/{username}: person, bot, org, 404", async () => {
    const t = "/users/{username}";
    const person = (await check("GET", t, await api(sim.url, "/users/octocat"), 200)) as Record<
      string,
      unknown
    >;
    expect(person.id).toBe(583231);
    const bot = (await check(
      "GET",
      t,
      await api(sim.url, `/users/${encodeURIComponent("gitcred-test[bot]")}`),
      200,
    )) as Record<string, unknown>;
    expect(bot).toMatchObject({ id: 41898282, type: "Bot", login: "gitcred-test[bot]" });
    expect(bot.id).not.toBe(sim.world.app.id);
    const org = (await check("GET", t, await api(sim.url, "/users/acme"), 200)) as Record<string, unknown>;
    expect(org.type).toBe("Organization");
    await check("GET", t, await api(sim.url, "/users/nobody-here"), 404);
  });

  it("GET /user: 200 with a user token, 401 without or with a bad token", async () => {
    const { access } = await userTokens(sim.url, sim.admin, sim.world);
    const body = (await check("GET", "/user", await api(sim.url, "/user", access), 200)) as Record<
      string,
      unknown
    >;
    expect(body.login).toBe("octocat");
    const unauth = (await check("GET", "/user", await api(sim.url, "/user"), 401)) as Record<string, unknown>;
    expect(unauth.message).toBe("Requires authentication");
    const bad = (await check(
      "GET",
      "/user",
      await api(sim.url, "/user", "ghu_notAToken000000000000000000000000000"),
      401,
    )) as Record<string, unknown>;
    expect(bad).toMatchObject({
      message: "Bad credentials",
      documentation_url: "https://docs.github.com/rest",
      status: "401",
    });
    await check("GET", "/user", await api(sim.url, "/user", await installationToken()), 403);
  });

  it("GET /user/installations", async () => {
    const { access } = await userTokens(sim.url, sim.admin, sim.world);
    const body = (await check(
      "GET",
      "/user/installations",
      await api(sim.url, "/user/installations", access),
      200,
    )) as {
      installations: { id: number }[];
    };
    expect(body.installations.map((i) => i.id)).toEqual([7777]);
  });

  it("GET /repos/{owner}/{repo}: permissions per role and per installation, 404 where hidden", async () => {
    const t = "/repos/{owner}/{repo}";
    const { access } = await userTokens(sim.url, sim.admin, sim.world);
    const writer = (await check("GET", t, await api(sim.url, "/repos/acme/widgets", access), 200)) as {
      permissions: unknown;
    };
    expect(writer.permissions).toEqual({
      admin: false,
      maintain: false,
      push: true,
      triage: true,
      pull: true,
    });
    await check("GET", t, await api(sim.url, "/repos/acme/secret", access), 404);
    await check("GET", t, await api(sim.url, "/repos/acme/nope", access), 404);
    const installation = (await check(
      "GET",
      t,
      await api(sim.url, "/repos/acme/widgets", await installationToken()),
      200,
    )) as {
      permissions: { push: boolean };
    };
    expect(installation.permissions.push).toBe(true);
    const readOnly = await installationToken({ permissions: { contents: "read" } });
    const ro = (await check("GET", t, await api(sim.url, "/repos/acme/widgets", readOnly), 200)) as {
      permissions: { push: boolean };
    };
    expect(ro.permissions.push).toBe(false);
    await check("GET", t, await api(sim.url, "/repos/acme/public-site"), 200);
    await check("GET", t, await api(sim.url, "/repos/acme/widgets"), 404);
  });

  it("GET /repos/{owner}/{repo}: org members get the base permission; others see 404", async () => {
    const t = "/repos/{owner}/{repo}";
    await sim.admin.seedInstallation({
      app: "gitcred-test",
      account: "acme",
      id: 7777,
      repositorySelection: "all",
    });
    const { access } = await userTokens(sim.url, sim.admin, sim.world);
    const member = (await check("GET", t, await api(sim.url, "/repos/acme/secret", access), 200)) as {
      permissions: unknown;
    };
    expect(member.permissions).toEqual({
      admin: false,
      maintain: false,
      push: false,
      triage: false,
      pull: true,
    });
    await sim.admin.seedOrg({ login: "acme", defaultRepositoryPermission: "none" });
    await check("GET", t, await api(sim.url, "/repos/acme/secret", access), 404);
    await sim.admin.seedOrg({ login: "acme", members: { hubot: "admin" } });
    await sim.admin.setSession({ login: "hubot", autoApprove: "approve" });
    const q = new URLSearchParams({ client_id: sim.world.app.clientId, state: "h" });
    const code = new URL(
      (await fetch(`${sim.url}/login/oauth/authorize?${q}`, { redirect: "manual" })).headers.get(
        "location",
      ) ?? "",
    );
    const res = await fetch(`${sim.url}/login/oauth/access_token`, {
      method: "POST",
      headers: { accept: "application/json", "content-type": "application/json" },
      body: JSON.stringify({
        client_id: sim.world.app.clientId,
        client_secret: sim.world.app.clientSecret,
        code: code.searchParams.get("code"),
      }),
    });
    const admin = ((await res.json()) as { access_token: string }).access_token;
    const asAdmin = (await check("GET", t, await api(sim.url, "/repos/acme/secret", admin), 200)) as {
      permissions: unknown;
    };
    expect(asAdmin.permissions).toEqual({
      admin: true,
      maintain: true,
      push: true,
      triage: true,
      pull: true,
    });
  });

  it("POST /applications/{client_id}/token (check): 200 and 404", async () => {
    const t = "/applications/{client_id}/token";
    const { access } = await userTokens(sim.url, sim.admin, sim.world);
    const post = (token: string) =>
      fetch(`${sim.url}/applications/${sim.world.app.clientId}/token`, {
        method: "POST",
        headers: { authorization: basic(), "content-type": "application/json" },
        body: JSON.stringify({ access_token: token }),
      });
    const body = (await check("POST", t, await post(access), 200)) as Record<string, unknown>;
    expect(body.token).toBe(access);
    expect((body.user as { login: string }).login).toBe("octocat");
    await check("POST", t, await post("ghu_unknown00000000000000000000000000000"), 404);
  });

  it("DELETE /applications/{client_id}/token and /grant: 204", async () => {
    const del = (path: string, token: string) =>
      fetch(`${sim.url}/applications/${sim.world.app.clientId}/${path}`, {
        method: "DELETE",
        headers: { authorization: basic(), "content-type": "application/json" },
        body: JSON.stringify({ access_token: token }),
      });
    const a = await userTokens(sim.url, sim.admin, sim.world);
    await check("DELETE", "/applications/{client_id}/token", await del("token", a.access), 204);
    expect((await api(sim.url, "/user", a.access)).status).toBe(401);
    const b = await userTokens(sim.url, sim.admin, sim.world);
    const c = await userTokens(sim.url, sim.admin, sim.world);
    await check("DELETE", "/applications/{client_id}/grant", await del("grant", b.access), 204);
    expect((await api(sim.url, "/user", c.access)).status).toBe(401);
  });

  it("GET /rate_limit", async () => {
    const body = (await check(
      "GET",
      "/rate_limit",
      await api(sim.url, "/rate_limit", await installationToken()),
      200,
    )) as {
      resources: { core: { limit: number } };
    };
    expect(body.resources.core.limit).toBe(5000);
  });

  it("a deliberately wrong field fails validation", async () => {
    const res = await api(sim.url, "/repos/acme/widgets/installation", sim.world.jwt());
    const body = (await res.json()) as Record<string, unknown>;
    expect(validateRest("GET", "/repos/{owner}/{repo}/installation", 200, body).errors).toEqual([]);
    const wrongType = { ...body, id: String(body.id) };
    expect(
      validateRest("GET", "/repos/{owner}/{repo}/installation", 200, wrongType).errors.length,
    ).toBeGreaterThan(0);
    const missing = { ...body };
    delete missing.access_tokens_url;
    expect(
      validateRest("GET", "/repos/{owner}/{repo}/installation", 200, missing).errors.length,
    ).toBeGreaterThan(0);
    const badEnum = { ...body, repository_selection: "some" };
    expect(
      validateRest("GET", "/repos/{owner}/{repo}/installation", 200, badEnum).errors.length,
    ).toBeGreaterThan(0);
    expect(validateRest("GET", "/repos/{owner}/{repo}/installation", 418, {}).documented).toBe(false);
  });
});
