import { env } from "cloudflare:workers";
import { openDatabase } from "@gitcred/db";
import { parseEncryptionKeys } from "@gitcred/utils";
import { describe, expect, it } from "vitest";
import { createOAuthState } from "../src/oauth-state.ts";
import { Browser } from "./browser.ts";
import {
  atGitHub,
  connectThroughBrowser,
  gitToken,
  openFreshLink,
  seedPerson,
  signedInBrowser,
  sim,
  startConnect,
} from "./helpers.ts";

const AUTHORIZATION_CODE = "POST /login/oauth/access_token#authorization_code";

describe("OAuth web flow", () => {
  it("connects: settings page -> GitHub (PKCE S256, state) -> callback -> 'Connected as @login'", async () => {
    const person = await seedPerson();
    const browser = await signedInBrowser(person.userId);
    const authorize = new URL(await startConnect(browser));
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${env.GITHUB_WEB_URL}/login/oauth/authorize`);
    expect(authorize.searchParams.get("client_id")).toBe(env.GITHUB_CLIENT_ID);
    expect(authorize.searchParams.get("redirect_uri")).toBe("http://127.0.0.1:8787/github/callback");
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get("state")).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const callback = await atGitHub(authorize.toString(), person.login);
    const res = await browser.request(`${callback.pathname}${callback.search}`);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/settings?github=connected");
    const page = await browser.page("/settings?github=connected");
    expect(page.html).toContain(`Connected as`);
    expect(page.html).toContain(`@${person.login}`);
    expect(page.html).toContain('data-notice="connected"');
    const connection = await gitToken().getConnection({ userId: person.userId });
    expect(connection).toMatchObject({ ok: true, connected: true, login: person.login, status: "active" });
  });

  it("a denied authorization stores nothing", async () => {
    const person = await seedPerson();
    const browser = await signedInBrowser(person.userId);
    const callback = await atGitHub(await startConnect(browser), person.login, "deny");
    expect(callback.searchParams.get("error")).toBe("access_denied");
    const res = await browser.request(`${callback.pathname}${callback.search}`);
    expect(res.headers.get("location")).toBe("/settings?github=access_denied");
    expect(await gitToken().getConnection({ userId: person.userId })).toEqual({ ok: true, connected: false });
    expect((await browser.page("/settings?github=access_denied")).html).toContain("did not authorize");
  });

  it("refuses a replayed callback: the state is single use", async () => {
    const person = await seedPerson();
    const browser = await signedInBrowser(person.userId);
    const callback = await atGitHub(await startConnect(browser), person.login);
    const before = await sim.count(AUTHORIZATION_CODE);
    const first = await browser.request(`${callback.pathname}${callback.search}`);
    expect(first.headers.get("location")).toBe("/settings?github=connected");
    const replay = await browser.request(`${callback.pathname}${callback.search}`);
    expect(replay.headers.get("location")).toBe("/settings?github=invalid_state");
    expect(await sim.count(AUTHORIZATION_CODE)).toBe(before + 1);
  });

  it("lets exactly one of many concurrent callbacks with the same state through", async () => {
    const person = await seedPerson();
    const browser = await signedInBrowser(person.userId);
    const callback = await atGitHub(await startConnect(browser), person.login);
    const before = await sim.count(AUTHORIZATION_CODE);
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => browser.request(`${callback.pathname}${callback.search}`)),
    );
    const locations = answers.map((r) => r.headers.get("location")).sort();
    expect(locations.filter((l) => l === "/settings?github=connected")).toHaveLength(1);
    expect(locations.filter((l) => l === "/settings?github=invalid_state")).toHaveLength(7);
    expect(await sim.count(AUTHORIZATION_CODE)).toBe(before + 1);
  });

  it("refuses a state finished in another browser, and burns it", async () => {
    const person = await seedPerson();
    const browser = await signedInBrowser(person.userId);
    const callback = await atGitHub(await startConnect(browser), person.login);
    const attacker = await signedInBrowser(person.userId); // even the same person, another browser
    const stolen = await attacker.request(`${callback.pathname}${callback.search}`);
    expect(stolen.headers.get("location")).toBe("/settings?github=invalid_state");
    const noSession = await new Browser().request(`${callback.pathname}${callback.search}`);
    expect(noSession.headers.get("location")).toBe("/settings?github=invalid_state");
    const owner = await browser.request(`${callback.pathname}${callback.search}`);
    expect(owner.headers.get("location")).toBe("/settings?github=invalid_state");
    expect(await gitToken().getConnection({ userId: person.userId })).toEqual({ ok: true, connected: false });
  });

  it("refuses an expired state", async () => {
    const person = await seedPerson();
    const browser = await signedInBrowser(person.userId);
    const cookie = browser.cookieHeader().replace("__Host-gitcred_session=", "");
    const { sha256Hex } = await import("@gitcred/utils");
    const handle = openDatabase(env);
    const { state } = await createOAuthState(
      handle.db,
      await parseEncryptionKeys(env.TOKEN_ENCRYPTION_KEYS),
      {
        userId: person.userId,
        browserBinding: await sha256Hex(cookie),
        returnTo: "/settings",
        now: new Date(Date.now() - 11 * 60 * 1000),
      },
    );
    await handle.close();
    const res = await browser.request(`/github/callback?code=abc&state=${state}`);
    expect(res.headers.get("location")).toBe("/settings?github=expired_state");
  });

  it.each([
    ["tampered", (s: string) => `${s.slice(0, -1)}${s.endsWith("A") ? "B" : "A"}`],
    ["truncated", (s: string) => s.slice(0, 20)],
    ["empty", () => ""],
    ["overlong", (s: string) => s.repeat(5)],
  ])("refuses a %s state", async (_name, mangle) => {
    const person = await seedPerson();
    const browser = await signedInBrowser(person.userId);
    const callback = await atGitHub(await startConnect(browser), person.login);
    const state = callback.searchParams.get("state") ?? "";
    callback.searchParams.set("state", mangle(state));
    const res = await browser.request(`${callback.pathname}${callback.search}`);
    expect(res.headers.get("location")).toBe("/settings?github=invalid_state");
  });

  it("says account_in_use when the GitHub account belongs to another user", async () => {
    const person = await seedPerson();
    expect(await connectThroughBrowser(await signedInBrowser(person.userId), person.login)).toBe(
      "/settings?github=connected",
    );
    const other = await signedInBrowser(`${person.userId}-other`);
    expect(await connectThroughBrowser(other, person.login)).toBe("/settings?github=account_in_use");
  });

  it("refuses POSTs without the page's CSRF token or from another origin", async () => {
    const person = await seedPerson();
    const browser = await signedInBrowser(person.userId);
    const csrf = await browser.csrf();
    for (const [form, headers] of [
      [{}, { origin: "http://127.0.0.1:8787" }],
      [{ csrf: "forged" }, { origin: "http://127.0.0.1:8787" }],
      [{ csrf }, { origin: "https://evil.example" }],
    ] as const) {
      const res = await browser.post("/github/connect", form, headers);
      expect(res.headers.get("location")).toBe("/settings?github=csrf");
    }
    const noSession = await new Browser().post("/github/connect", { csrf });
    expect(noSession.headers.get("location")).toBe("/settings");
  });

  it("disconnects: the grant is revoked at GitHub and the page shows not connected", async () => {
    const person = await seedPerson();
    const browser = await signedInBrowser(person.userId);
    await connectThroughBrowser(browser, person.login);
    const grantsBefore = (await sim.grants()).filter((g) => g.userId === person.githubUserId);
    expect(grantsBefore).toHaveLength(1);
    const res = await browser.post("/github/disconnect", { csrf: await browser.csrf() });
    expect(res.headers.get("location")).toBe("/settings?github=disconnected");
    expect((await sim.grants()).filter((g) => g.userId === person.githubUserId)).toHaveLength(0);
    const page = await browser.page("/settings");
    expect(page.html).toContain("Not connected");
  });
});

describe("return paths through the whole flow", () => {
  it("every open-redirect payload given to createSettingsLink lands back on /settings", async () => {
    const { OPEN_REDIRECT_PAYLOADS } = await import("../../../test-support/open-redirect-payloads.ts");
    const { connectService } = await import("./helpers.ts");
    const person = await seedPerson();
    const finals = new Set<string | null>();
    for (const returnTo of OPEN_REDIRECT_PAYLOADS) {
      const link = await connectService().createSettingsLink({ userId: person.userId, returnTo });
      if (!link.ok) {
        expect(link.reason).toBe("invalid_request"); // over-long payloads are refused outright
        continue;
      }
      const browser = new Browser();
      await browser.openLink(link.url);
      finals.add(await connectThroughBrowser(browser, person.login));
    }
    expect([...finals]).toEqual(["/settings?github=connected"]);
  });

  it("a same-site return path is where the person lands after connecting", async () => {
    const person = await seedPerson();
    const { browser } = await openFreshLink({ userId: person.userId, returnTo: "/settings?tab=github" });
    expect(await connectThroughBrowser(browser, person.login)).toBe("/settings?tab=github&github=connected");
  });
});
