import { describe, expect, it } from "vitest";
import { Browser } from "./browser.ts";
import { connectService, signedInBrowser, unique } from "./helpers.ts";

describe("settings links", () => {
  it("trade a single-use id (on the interstitial's POST) for a __Host- session cookie and leave no id in the URL", async () => {
    const userId = unique("user");
    const before = Date.now();
    const link = await connectService().createSettingsLink({ userId, returnTo: "/settings?tab=github" });
    const after = Date.now();
    if (!link.ok) throw new Error(link.reason);
    expect(link.url).toMatch(/^http:\/\/127\.0\.0\.1:8787\/settings\?s=[A-Za-z0-9_-]{43}$/);
    // Fifteen minutes from when it was made (bracketed by the calls around it, not a threshold).
    expect(Date.parse(link.expiresAt) - 15 * 60_000).toBeGreaterThanOrEqual(before);
    expect(Date.parse(link.expiresAt) - 15 * 60_000).toBeLessThanOrEqual(after);

    const browser = new Browser();
    const res = await browser.openLink(link.url);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/settings");
    const cookie = res.headers.getSetCookie().join("\n");
    expect(cookie).toMatch(/^__Host-gitcred_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    // `__Host-`: Secure (browsers keep Secure cookies on http://127.0.0.1 too), Path=/, no Domain.
    expect(cookie).toMatch(/; Secure/i);
    expect(cookie).toMatch(/; Path=\/(;|$)/);
    expect(cookie).not.toMatch(/Domain=/i);

    const page = await browser.page("/settings");
    expect(page.status).toBe(200);
    expect(page.html).toContain("Not connected");
    expect(page.html).toContain('action="/github/connect"');
  });

  it("work once: a second use is refused and gets no session", async () => {
    const link = await connectService().createSettingsLink({ userId: unique("user") });
    if (!link.ok) throw new Error(link.reason);
    const id = new URL(link.url).searchParams.get("s") ?? "";
    expect((await new Browser().openLink(link.url)).status).toBe(303);
    const second = new Browser();
    const res = await second.request(link.url);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain("expired or was already used");
    const posted = await second.post("/settings/link", { s: id });
    expect(posted.status).toBe(401);
    expect(second.hasSession()).toBe(false);
  });

  it("work once even when opened twice at the same moment", async () => {
    const link = await connectService().createSettingsLink({ userId: unique("user") });
    if (!link.ok) throw new Error(link.reason);
    const id = new URL(link.url).searchParams.get("s") ?? "";
    const browsers = Array.from({ length: 10 }, () => new Browser());
    const answers = await Promise.all(browsers.map((b) => b.post("/settings/link", { s: id })));
    expect(answers.map((r) => r.status).sort()).toEqual([303, ...Array(9).fill(401)]);
    expect(browsers.filter((b) => b.hasSession())).toHaveLength(1);
  });

  it.each(["nope", "x".repeat(43), "%00", "a".repeat(500)])(
    "refuse an unknown or malformed id %#",
    async (id) => {
      const res = await new Browser().request(`/settings?s=${encodeURIComponent(id)}`);
      expect(res.status).toBe(401);
    },
  );

  it("without a session the page asks for a new link and shows nothing of anyone", async () => {
    const page = await new Browser().page("/settings");
    expect(page.status).toBe(401);
    expect(page.html).toContain("Open the settings again from the app");
    const forged = new Browser();
    const res = await forged.request("/settings", {
      headers: { cookie: `__Host-gitcred_session=${"A".repeat(43)}` },
    });
    expect(res.status).toBe(401);
  });

  it("validate createSettingsLink input and keep only same-site return paths", async () => {
    for (const bad of [
      {},
      { userId: "" },
      { userId: "a b" },
      { userId: "x".repeat(500) },
      null,
      "u",
      { userId: "u", extra: 1 },
    ]) {
      const result = await connectService().createSettingsLink(bad as never);
      expect(result).toMatchObject({ ok: false, reason: "invalid_request" });
    }
    const userId = unique("user");
    const link = await connectService().createSettingsLink({ userId, returnTo: "//evil.example/phish" });
    expect(link.ok).toBe(true);
  });

  it("pages carry headers that forbid framing, scripts and cross-site referrers", async () => {
    const browser = await signedInBrowser(unique("user"));
    const res = await browser.request("/settings");
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain("script-src");
    expect(res.headers.get("referrer-policy")).toBe("same-origin");
    expect(res.headers.get("cache-control")).toBe("no-store");
  });
});
