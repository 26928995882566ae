/**
 * The App installation flow (`/apps/{slug}/installations/new`), driven with plain fetch as a browser
 * posts its forms: sign-in, the account chooser, installing and configuring, the setup URL redirect
 * GitHub documents (`installation_id`, `setup_action`, `state`), the webhooks, and who may install where.
 * Deterministic: webhooks are awaited as requests arriving (no polling), everything else is counted.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { verify } from "@octokit/webhooks-methods";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimInstallation } from "../local/index.ts";
import { api, appKeys, CALLBACK, tokenRequest, useSimulator } from "./helpers.ts";
import { validateWebhook } from "./openapi.ts";

const sim = useSimulator();
const SECRET = "install-secret";
const SETUP_URL = "https://app.example/github/setup?from=sim";
/** A state with characters that must survive HTML escaping and URL encoding. */
const STATE = `st&te"<x>'é`;
const PATH = "/apps/gitcred-test/installations/new";

interface Hook {
  headers: IncomingHttpHeaders;
  body: string;
}
const hooks: Hook[] = [];
const waiters: Array<{ count: number; resolve: () => void }> = [];
const hookServer = createServer((req, res) => {
  let body = "";
  req.on("data", (chunk: Buffer) => {
    body += chunk.toString("utf8");
  });
  req.on("end", () => {
    hooks.push({ headers: req.headers, body });
    res.writeHead(204).end();
    for (const w of waiters.filter((x) => hooks.length >= x.count)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
});
let hookUrl = "";
beforeAll(async () => {
  await new Promise<void>((resolve) => hookServer.listen(0, "127.0.0.1", resolve));
  hookUrl = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/hooks`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => hookServer.close(() => resolve()));
});

/** Resolves once `count` webhook requests have arrived (an event, not a timer). */
function hooksArrived(count: number): Promise<void> {
  return new Promise((resolve) => {
    if (hooks.length >= count) resolve();
    else waiters.push({ count, resolve });
  });
}

/** Gives the world's App a setup URL (and a webhook URL), keeping everything else. */
async function withSetupUrl(extra: { setupOnUpdate?: boolean } = {}): Promise<void> {
  hooks.length = 0;
  await sim.admin.seedApp({
    slug: "gitcred-test",
    publicKeyPem: appKeys().publicKeyPem,
    setupUrl: SETUP_URL,
    webhookUrl: hookUrl,
    webhookSecret: SECRET,
    ...extra,
  });
}

function decode(v: string): string {
  return v
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** The install form of `login` on the page, or null when the page does not offer that account. */
function formOf(html: string, login: string): { html: string; hidden: Record<string, string> } | null {
  const m = new RegExp(`<form [^>]*data-target="${login}">([\\s\\S]*?)</form>`).exec(html);
  if (!m?.[1]) return null;
  const hidden: Record<string, string> = {};
  for (const h of m[1].matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g))
    hidden[decode(h[1] ?? "")] = decode(h[2] ?? "");
  return { html: m[1], hidden };
}

async function page(path: string): Promise<{ status: number; html: string }> {
  const res = await fetch(`${sim.url}${path}`, { redirect: "manual" });
  return { status: res.status, html: await res.text() };
}

/** POSTs a form as a browser does (`application/x-www-form-urlencoded`, repeated fields kept). */
function post(fields: Array<[string, string]>, path = PATH): Promise<Response> {
  return fetch(`${sim.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
    redirect: "manual",
  });
}

/** Submits `login`'s form from the install page with a repository choice. */
async function install(
  login: string,
  selection: "all" | "selected",
  repoIds: number[] = [],
  query = "",
): Promise<Response> {
  const { html } = await page(`${PATH}${query}`);
  const form = formOf(html, login);
  if (!form) throw new Error(`no install form for ${login}`);
  return post([
    ...Object.entries(form.hidden),
    ["repository_selection", selection],
    ...repoIds.map((id): [string, string] => ["repository_ids", String(id)]),
    ["sim_action", "install"],
  ]);
}

async function installations(): Promise<SimInstallation[]> {
  return (await sim.admin.state()).installations as SimInstallation[];
}

async function userToken(login: string): Promise<string> {
  await sim.admin.setSession({ login, autoApprove: "approve" });
  const q = new URLSearchParams({ client_id: sim.world.app.clientId, redirect_uri: CALLBACK });
  const res = await fetch(`${sim.url}/login/oauth/authorize?${q}`, { redirect: "manual" });
  const code = new URL(res.headers.get("location") ?? "").searchParams.get("code") ?? "";
  const body = await tokenRequest(sim.url, {
    client_id: sim.world.app.clientId,
    client_secret: sim.world.app.clientSecret,
    code,
  });
  return String(body.access_token);
}

async function userInstallationIds(login: string): Promise<number[]> {
  const res = await api(sim.url, "/user/installations", await userToken(login));
  expect(res.status).toBe(200);
  return ((await res.json()) as { installations: { id: number }[] }).installations.map((i) => i.id);
}

describe("GET/POST /apps/{slug}/installations/new", () => {
  it("asks who is signed in, then returns to the install page with its state", async () => {
    const q = `?${new URLSearchParams({ state: STATE })}`;
    const signIn = await page(`${PATH}${q}`);
    expect(signIn.status).toBe(200);
    expect(signIn.html).toContain('name="login"');
    expect(signIn.html).toContain(`action="${PATH}"`);
    expect(signIn.html).toContain('value="st&amp;te&quot;&lt;x&gt;&#39;é"');
    // Posting an install form while signed out shows the sign-in page and creates nothing.
    const before = (await installations()).length;
    const signedOut = await post([
      ["target_id", "583231"],
      ["repository_selection", "all"],
    ]);
    expect(signedOut.status).toBe(200);
    expect(await signedOut.text()).toContain('name="login"');
    expect((await installations()).length).toBe(before);

    const back = await post([
      ["state", STATE],
      ["sim_action", "signin"],
      ["login", "octocat"],
    ]);
    expect(back.status).toBe(303);
    const location = new URL(back.headers.get("location") ?? "", sim.url);
    expect(location.pathname).toBe(PATH);
    expect(location.searchParams.get("state")).toBe(STATE);
    // From GitHub's second step (`.../permissions?target_id=`) the sign-in returns there.
    const step = await post([
      ["target_id", "583231"],
      ["sim_action", "signin"],
      ["login", "octocat"],
    ]);
    expect(step.headers.get("location")).toBe(`${PATH}/permissions?target_id=583231`);
    const chooser = await page(`${location.pathname}${location.search}`);
    expect(chooser.html).toContain("Install gitcred test");
    expect(chooser.html).toContain('<strong id="signed-in-as">octocat</strong>');
    expect(formOf(chooser.html, "octocat")?.hidden).toEqual({ state: STATE, target_id: "583231" });
  });

  it("installs on the person's account: setup URL, webhook, /user/installations", async () => {
    await withSetupUrl();
    const dotfiles = await sim.admin.seedRepo({ owner: "octocat", name: "dotfiles" });
    await sim.admin.setSession({ login: "octocat" });
    const { html } = await page(`${PATH}?state=x`);
    // octocat is a plain member of acme: only their own account is offered.
    expect(formOf(html, "acme")).toBeNull();
    expect(formOf(html, "octocat")?.html).toContain(">Install</button>");
    const before = await installations();
    const calls = await sim.admin.count(`POST /apps/{app_slug}/installations/new`);

    const res = await install("octocat", "all", [], `?${new URLSearchParams({ state: STATE })}`);
    expect(res.status).toBe(302);
    const created = (await installations()).filter((i) => !before.some((b) => b.id === i.id));
    expect(created).toHaveLength(1);
    const i = created[0] as SimInstallation;
    expect(i).toMatchObject({
      accountId: 583231,
      appId: 123456,
      repositorySelection: "all",
      permissions: sim.world.app.permissions,
      events: sim.world.app.events,
      suspendedAt: null,
    });
    const location = new URL(res.headers.get("location") ?? "");
    expect(`${location.origin}${location.pathname}`).toBe("https://app.example/github/setup");
    expect(Object.fromEntries(location.searchParams)).toEqual({
      from: "sim",
      installation_id: String(i.id),
      setup_action: "install",
      state: STATE,
    });
    expect(await sim.admin.count(`POST /apps/{app_slug}/installations/new`)).toBe(calls + 1);

    await hooksArrived(1);
    expect(hooks).toHaveLength(1);
    const hook = hooks[0] as Hook;
    expect(hook.headers["x-github-event"]).toBe("installation");
    expect(await verify(SECRET, hook.body, String(hook.headers["x-hub-signature-256"]))).toBe(true);
    const payload = JSON.parse(hook.body) as {
      installation: { id: number; account: { login: string } };
      sender: { login: string };
      repositories: { full_name: string }[];
    };
    expect(validateWebhook("installation", "created", payload)).toEqual([]);
    expect(payload.installation.id).toBe(i.id);
    expect(payload.installation.account.login).toBe("octocat");
    expect(payload.sender.login).toBe("octocat");
    expect(payload.repositories.map((r) => r.full_name)).toEqual([`octocat/${dotfiles.name}`]);

    expect(await userInstallationIds("octocat")).toEqual(expect.arrayContaining([i.id, 7777]));
    expect(await userInstallationIds("hubot")).not.toContain(i.id);
    // Installed again: the page now offers "Configure" for that account.
    await sim.admin.setSession({ login: "octocat" });
    expect(formOf((await page(PATH)).html, "octocat")?.html).toContain(">Configure</button>");
  });

  it("configures an existing installation: setup_action=update, repository webhooks", async () => {
    await withSetupUrl();
    await sim.admin.seedOrg({ login: "acme", members: { octocat: "admin" } });
    await sim.admin.setSession({ login: "octocat" });
    const form = formOf((await page(PATH)).html, "acme");
    expect(form?.html).toContain(">Configure</button>");
    expect(form?.html).toMatch(/value="selected" id="selection-selected-9919" checked/);
    expect(form?.html).toMatch(/value="1296269" id="repo-9919-1296269" checked/);
    expect(form?.html).not.toMatch(/value="1296270" id="repo-9919-1296270" checked/);
    const count = (await installations()).length;

    const res = await install("acme", "selected", [1296269, 1296270]);
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location") ?? "");
    expect(Object.fromEntries(location.searchParams)).toEqual({
      from: "sim",
      installation_id: "7777",
      setup_action: "update",
    });
    const all = await installations();
    expect(all).toHaveLength(count);
    expect(all.find((i) => i.id === 7777)?.repositoryIds).toEqual([1296269, 1296270]);
    await hooksArrived(2);
    expect(hooks).toHaveLength(2);
    // Two deliveries in flight at once: they may arrive in either order.
    const bodies = hooks
      .map((h) => JSON.parse(h.body) as Record<string, unknown>)
      .sort((a, b) => String(a.action).localeCompare(String(b.action)));
    expect(hooks.map((h) => h.headers["x-github-event"])).toEqual([
      "installation_repositories",
      "installation_repositories",
    ]);
    expect(bodies.map((b) => b.action)).toEqual(["added", "removed"]);
    for (const b of bodies) {
      expect(validateWebhook("installation_repositories", String(b.action), b)).toEqual([]);
      expect((b.sender as { login: string }).login).toBe("octocat");
    }
    expect(bodies).toMatchObject([
      { repositories_added: [{ id: 1296270 }], repositories_removed: [] },
      { repositories_added: [], repositories_removed: [{ id: 1296271 }] },
    ]);

    // Without "Redirect on update": the simulator's Configured page; "All repositories" adds the rest.
    await withSetupUrl({ setupOnUpdate: false });
    const again = await install("acme", "all");
    expect(again.status).toBe(200);
    const html = await again.text();
    expect(html).toContain('<h1 id="result">Configured</h1>');
    expect(html).toContain('<span id="installation-id">7777</span>');
    expect((await installations()).find((i) => i.id === 7777)?.repositorySelection).toBe("all");
    await hooksArrived(1);
    const added = JSON.parse((hooks[0] as Hook).body) as {
      action: string;
      repositories_added: { id: number }[];
    };
    expect(added.action).toBe("added");
    expect(added.repositories_added.map((r) => r.id)).toEqual([1296271]);
  });

  it("org admins may install on the org; members are not offered it and a forged POST is a 404", async () => {
    await sim.admin.seedOrg({ login: "octo-org", id: 4242, members: { hubot: "admin", octocat: "member" } });
    const tools = await sim.admin.seedRepo({ owner: "octo-org", name: "tools" });
    await sim.admin.setSession({ login: "octocat" });
    expect(formOf((await page(PATH)).html, "octo-org")).toBeNull();
    expect((await page(`${PATH}/permissions?target_id=4242`)).status).toBe(404);
    const before = await installations();
    const deliveries = (await sim.admin.deliveries()).length;
    for (const fields of [
      [
        ["target_id", "4242"],
        ["repository_selection", "all"],
      ],
      [
        ["target_id", "480938"],
        ["repository_selection", "all"],
      ], // hubot's own account
      [["repository_selection", "all"]],
    ] as Array<Array<[string, string]>>) {
      const res = await post(fields);
      expect(res.status).toBe(404);
    }
    // The person's own account, with a repository of another account: refused, nothing made.
    const foreign = await post([
      ["target_id", "583231"],
      ["repository_selection", "selected"],
      ["repository_ids", String(tools.id)],
    ]);
    expect(foreign.status).toBe(422);
    expect(await installations()).toEqual(before);
    expect((await sim.admin.deliveries()).length).toBe(deliveries);

    await sim.admin.setSession({ login: "hubot" });
    const step = await page(`${PATH}/permissions?target_id=4242&state=s`);
    expect(step.status).toBe(200);
    expect(formOf(step.html, "hubot")).toBeNull();
    expect(formOf(step.html, "octo-org")?.hidden).toEqual({ state: "s", target_id: "4242" });
    const res = await install("octo-org", "selected", [tools.id]);
    expect(res.status).toBe(200);
    const made = (await installations()).filter((i) => !before.some((b) => b.id === i.id));
    expect(made).toMatchObject([
      { accountId: 4242, repositorySelection: "selected", repositoryIds: [tools.id] },
    ]);
    const created = (await sim.admin.deliveries()).slice(deliveries);
    expect(created.map((d) => [d.event, d.action])).toEqual([["installation", "created"]]);
    expect(created).toMatchObject([{ payload: { sender: { login: "hubot" } } }]);
  });

  it("without a setup URL: the Installed page", async () => {
    await sim.admin.setSession({ login: "octocat" });
    const res = await install("octocat", "all", [], "?state=abc");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<h1 id="result">Installed</h1>');
    expect(html).toContain('<strong id="installed-on">octocat</strong>');
    expect((await installations()).filter((i) => i.accountId === 583231)).toHaveLength(1);
  });

  it("unknown App slug: 404 page, nothing created", async () => {
    await sim.admin.setSession({ login: "octocat" });
    for (const path of [
      "/apps/nope/installations/new",
      "/apps/nope/installations/new/permissions?target_id=1",
    ]) {
      const res = await page(path);
      expect(res.status).toBe(404);
      expect(res.html).toContain("Page not found");
    }
    const before = (await installations()).length;
    expect((await post([["target_id", "583231"]], "/apps/nope/installations/new")).status).toBe(404);
    expect((await installations()).length).toBe(before);
  });
});
