/**
 * Account linking (#13 §1, login CSRF; RFC 8628 §5.4): a settings link someone else sent, a
 * link-preview scanner, another site's form, GitHub's account choice and the device code — each run
 * for real against the worker, Postgres and the simulator.
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Browser, ORIGIN } from "./browser.ts";
import {
  connectService,
  connectThroughBrowser,
  gitToken,
  openFreshLink,
  seedPerson,
  signedInBrowser,
  sim,
  startConnect,
  unique,
} from "./helpers.ts";

async function senderLink(displayName = "Mallory (sender)", extra: { avatarUrl?: string } = {}) {
  const userId = unique("sender");
  const link = await connectService().createSettingsLink({ userId, displayName, ...extra });
  if (!link.ok) throw new Error(link.reason);
  return { userId, url: link.url, id: new URL(link.url).searchParams.get("s") ?? "" };
}

describe("a settings link someone else sent", () => {
  it("GET shows an interstitial naming the sender's platform account and redeems nothing", async () => {
    const sender = await senderLink();
    const victim = new Browser();
    const res = await victim.request(sender.url);
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()).toEqual([]);
    const html = await res.text();
    expect(html).toContain("Connect GitHub to Mallory (sender)");
    expect(html).toContain('data-platform-account="Mallory (sender)"');
    expect(html).toContain('action="/settings/link"');
    expect(victim.hasSession()).toBe(false);
    // Nothing redeemed: the link still opens a session for whoever presses Continue on it later.
    const later = new Browser();
    expect((await later.openLink(sender.url)).status).toBe(303);
    expect((await later.page("/settings")).html).toContain("Settings for Mallory (sender)");
  });

  it("a link-preview scanner's HEAD and GET without cookies spend nothing and set no cookie", async () => {
    const person = await seedPerson();
    const link = await connectService().createSettingsLink({ userId: person.userId, displayName: "Ada" });
    if (!link.ok) throw new Error(link.reason);
    for (const method of ["HEAD", "GET", "HEAD", "GET"]) {
      const scanner = new Browser();
      const res = await scanner.request(link.url, {
        method,
        headers: { "user-agent": "Slackbot-LinkExpanding" },
      });
      expect(res.status).toBe(200);
      expect(res.headers.getSetCookie()).toEqual([]);
      expect(scanner.hasSession()).toBe(false);
    }
    // The person's own click afterwards still works, and their page works.
    const own = new Browser();
    expect((await own.openLink(link.url)).status).toBe(303);
    expect(await connectThroughBrowser(own, person.login)).toBe("/settings?github=connected");
    expect(await gitToken().getConnection({ userId: person.userId })).toMatchObject({ login: person.login });
  });

  it.each([
    ["another site's form", { origin: "https://evil.example" }],
    ["a form from an opaque origin", { origin: "null" }],
    ["no Origin at all", {}],
    ["a cross-site fetch with our Origin spoofed", { origin: ORIGIN, "sec-fetch-site": "cross-site" }],
  ])("the redemption POST from %s is refused and spends nothing", async (_why, headers) => {
    const sender = await senderLink();
    const victim = new Browser();
    const res = await victim.post("/settings/link", { s: sender.id }, headers);
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(victim.hasSession()).toBe(false);
    expect((await new Browser().openLink(sender.url)).status).toBe(303);
  });
});

describe("the page session and GitHub's side", () => {
  it("the session cookie is __Host- (Secure, Path=/, no Domain)", async () => {
    const sender = await senderLink();
    const res = await new Browser().openLink(sender.url);
    const [cookie = ""] = res.headers.getSetCookie();
    expect(cookie.startsWith("__Host-gitcred_session=")).toBe(true);
    expect(cookie).toMatch(/; Secure/i);
    expect(cookie).toMatch(/; Path=\/(;|$)/);
    expect(cookie).not.toMatch(/Domain=/i);
  });

  it("the authorize URL asks GitHub to let the person choose the account", async () => {
    const browser = await signedInBrowser(unique("user"));
    const authorize = new URL(await startConnect(browser));
    expect(authorize.searchParams.get("prompt")).toBe("select_account");
  });

  it("the settings page and its notices name the platform account", async () => {
    const person = await seedPerson();
    const link = await connectService().createSettingsLink({
      userId: person.userId,
      displayName: "Ada Lovelace (acme)",
      avatarUrl: "https://cdn.platform.example/u/ada.png",
    });
    if (!link.ok) throw new Error(link.reason);
    const browser = new Browser();
    await browser.openLink(link.url);
    const res = await browser.request("/settings");
    expect(res.headers.get("content-security-policy")).toContain("https://cdn.platform.example");
    const html = await res.text();
    expect(html).toContain("Settings for Ada Lovelace (acme)");
    expect(html).toContain('src="https://cdn.platform.example/u/ada.png"');
    expect(await connectThroughBrowser(browser, person.login)).toBe("/settings?github=connected");
    const { html: after } = await browser.page("/settings?github=connected");
    expect(after).toMatch(
      /data-notice="connected"[^>]*>GitHub is connected\. \(Platform account: Ada Lovelace \(acme\)\.\)/,
    );
  });

  it("without a display name the pages name the user id", async () => {
    const userId = unique("user");
    const browser = await signedInBrowser(userId);
    expect((await browser.page("/settings")).html).toContain(`data-platform-account="${userId}"`);
  });

  it("createSettingsLink refuses hidden characters in the name and non-https avatars, with a typed error", async () => {
    for (const bad of [
      { displayName: "Alice\u202Eecila" },
      { displayName: " " },
      { displayName: "x".repeat(81) },
      { avatarUrl: "http://cdn.example/a.png" },
      { avatarUrl: "javascript:alert(1)" },
    ]) {
      const result = await connectService().createSettingsLink({ userId: unique("user"), ...bad });
      expect(result).toMatchObject({ ok: false, reason: "invalid_request" });
      expect(result.ok ? "" : result.message).toMatch(/^(displayName|avatarUrl): /);
    }
  });
});

describe("the device code", () => {
  it("names the platform account wherever the code is shown, and its window is at most 10 minutes", async () => {
    const person = await seedPerson();
    const { browser } = await openFreshLink({ userId: person.userId, displayName: "Ada (acme)" });
    const before = Date.now();
    const started = await browser.post("/github/device", { csrf: await browser.csrf() });
    const after = Date.now();
    const location = started.headers.get("location") ?? "";
    expect(location).toMatch(/^\/settings\?device=/);
    const { html } = await browser.page(location);
    expect(html).toMatch(/data-user-code/);
    expect(html).toContain('data-device-account="Ada (acme)"');
    expect(html).toContain("connects a GitHub account to the platform account");
    // GitHub offers 15 minutes; the code stops connecting after 10.
    const until = /works until ([^.<]+)\./.exec(html)?.[1] ?? "";
    expect(Date.parse(until)).toBeLessThanOrEqual(after + 10 * 60_000);
    expect(Date.parse(until)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 10 * 60_000 - 1000);
  });

  it("a connection made through a device code is shown on the settings page afterwards", async () => {
    const person = await seedPerson();
    const browser = await signedInBrowser(person.userId);
    const started = await browser.post("/github/device", { csrf: await browser.csrf() });
    const handle = new URL(started.headers.get("location") ?? "", ORIGIN).searchParams.get("device") ?? "";
    const stub = env.DEVICE_AUTHORIZATIONS.get(env.DEVICE_AUTHORIZATIONS.idFromName(handle));
    const view = await stub.status(person.userId);
    if (view === undefined) throw new Error("no device authorization");
    await sim.authorizeDevice(view.userCode, { login: person.login });
    await sim.advanceClock(6);
    await runDurableObjectAlarm(stub);
    expect((await stub.status(person.userId))?.status).toBe("connected");
    // A later page, without the device handle: the connection and how it was made are named.
    const { html } = await browser.page("/settings");
    expect(html).toContain(`data-device-connection="${person.login}"`);
    expect(html).toContain(`GitHub @${person.login} connected through a device code issued at`);
  });
});
