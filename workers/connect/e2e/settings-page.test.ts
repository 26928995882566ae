/**
 * The settings page in real Chromium, against the three workers wired as in `pnpm dev`, the GitHub
 * simulator's real authorize and device pages, and Postgres. Screenshots of each state go to
 * test-results/connect/ (CI keeps them as artifacts).
 */
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { createSimAdmin } from "../../../packages/github-sim/local/admin.ts";
import { eventOnlyContext, launchChromium } from "../../../test-support/chromium.ts";
import { callRpc } from "../../../test-support/platform-worker.ts";

const suiteUrl = inject("suiteUrl");
const platformUrl = inject("platformUrl");
const sim = createSimAdmin(inject("simUrl"));
const shots = "test-results/connect";
let browser: Browser;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  browser = await launchChromium();
  // The person decides on GitHub's page themselves in these tests.
  await sim.setSession({ autoApprove: "off", login: null });
});
beforeEach(async () => {
  await sim.setSession({ autoApprove: "off", login: null });
});
afterAll(async () => {
  await browser?.close();
  await sim.setSession({ autoApprove: "approve" });
});

async function person() {
  const login = `e2e-${Math.random().toString(36).slice(2, 8)}`;
  const account = await sim.seedUser({ login, name: `E2E ${login}` });
  return { login, githubUserId: account.id, userId: `user-${login}` };
}

async function createLink(userId: string, displayName: string): Promise<string> {
  const link = await callRpc<{ ok: boolean; url: string }>(platformUrl, "CONNECT", "createSettingsLink", {
    userId,
    displayName,
  });
  expect(link.ok).toBe(true);
  expect(link.url.startsWith(suiteUrl)).toBe(true);
  return link.url;
}

/** Opens a settings link as a person does: the interstitial, then Continue. */
async function openSettings(userId: string, displayName = `Account of ${userId}`): Promise<Page> {
  const url = await createLink(userId, displayName);
  const page = await (await eventOnlyContext(browser)).newPage();
  await page.goto(url);
  await page.getByRole("button", { name: `Continue as ${displayName}` }).click();
  await page.waitForURL(`${suiteUrl}/settings`);
  expect(new URL(page.url()).search).toBe(""); // the link id is gone from the address bar
  return page;
}

async function signInAtGitHub(page: Page, login: string) {
  // The simulator's sign-in page: choose who is signed in (it has no passwords).
  await page.selectOption("#login", login);
  await page.click("#sign-in");
}

describe("settings page in Chromium", () => {
  it("a settings link shows whose account it connects, redeems on Continue only, and keeps a __Host- cookie on http://127.0.0.1", async () => {
    const p = await person();
    const url = await createLink(p.userId, "Ada Lovelace (acme)");
    const context = await eventOnlyContext(browser);
    // A link preview (no cookies, HEAD then GET) spends nothing.
    expect((await context.request.head(url, { maxRedirects: 0 })).status()).toBe(200);
    const page = await context.newPage();
    await page.goto(url);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(
      "Connect GitHub to Ada Lovelace (acme)",
    );
    expect(await context.cookies()).toEqual([]); // the interstitial sets no cookie
    await page.screenshot({ path: `${shots}/0-link-interstitial.png`, fullPage: true });

    await page.getByRole("button", { name: "Continue as Ada Lovelace (acme)" }).click();
    await page.waitForURL(`${suiteUrl}/settings`);
    expect(await page.getByRole("banner").textContent()).toContain("Platform account: Ada Lovelace (acme)");
    // Chromium keeps a Secure, __Host- cookie from http://127.0.0.1 (a secure context): local dev works.
    const cookies = await context.cookies(suiteUrl);
    expect(cookies.map((c) => [c.name, c.secure, c.path, c.httpOnly])).toEqual([
      ["__Host-gitcred_session", true, "/", true],
    ]);

    await page.getByRole("button", { name: "Connect GitHub" }).click();
    // prompt=select_account: GitHub's account picker, where the person chooses the account.
    expect(new URL(page.url()).searchParams.get("prompt")).toBe("select_account");
    await signInAtGitHub(page, p.login);
    await page.click("#js-oauth-authorize-btn");
    await page.waitForURL(`${suiteUrl}/settings?github=connected`);
    expect(await page.locator('[data-notice="connected"]').textContent()).toContain("Ada Lovelace (acme)");
    expect(await page.locator("[data-connected-as]").textContent()).toContain(`Connected as @${p.login}`);

    // The same link again (back button, a second tab): already used, no second session.
    const again = await (await eventOnlyContext(browser)).newPage();
    const answer = await again.goto(url);
    expect(answer?.status()).toBe(401);
  });

  it("connect -> approve at GitHub -> 'Connected as @login'; disconnect revokes the grant", async () => {
    const p = await person();
    const page = await openSettings(p.userId);
    expect(await page.getByText("Not connected").count()).toBe(1);
    await page.screenshot({ path: `${shots}/1-not-connected.png`, fullPage: true });

    await page.getByRole("button", { name: "Connect GitHub" }).click();
    await signInAtGitHub(page, p.login);
    await page.screenshot({ path: `${shots}/2-github-authorize.png`, fullPage: true });
    await page.click("#js-oauth-authorize-btn");
    await page.waitForURL(`${suiteUrl}/settings?github=connected`);
    expect(await page.locator("[data-connected-as]").textContent()).toContain(`Connected as @${p.login}`);
    await page.screenshot({ path: `${shots}/3-connected.png`, fullPage: true });
    expect((await sim.grants()).some((g) => g.userId === p.githubUserId)).toBe(true);

    // Disconnecting has its own confirmation page; its button is the POST.
    await page.getByRole("link", { name: "Disconnect GitHub" }).click();
    await page.waitForURL(`${suiteUrl}/settings/confirm/disconnect`);
    await page.getByRole("button", { name: "Disconnect" }).click();
    await page.waitForURL(`${suiteUrl}/settings?github=disconnected`);
    expect(await page.getByText("Not connected").count()).toBe(1);
    await page.screenshot({ path: `${shots}/4-disconnected.png`, fullPage: true });
    expect((await sim.grants()).some((g) => g.userId === p.githubUserId)).toBe(false);
  });

  it("deny at GitHub -> the page says so and nothing is connected", async () => {
    const p = await person();
    const page = await openSettings(p.userId);
    await page.getByRole("button", { name: "Connect GitHub" }).click();
    await signInAtGitHub(page, p.login);
    await page.click("#js-oauth-authorize-cancel");
    await page.waitForURL(`${suiteUrl}/settings?github=access_denied`);
    expect(await page.locator('[data-notice="access_denied"]').count()).toBe(1);
    expect(await page.getByText("Not connected").count()).toBe(1);
    await page.screenshot({ path: `${shots}/5-denied.png`, fullPage: true });
  });

  it("device flow: enter the code on GitHub's device page -> the settings page shows connected", async () => {
    const p = await person();
    const page = await openSettings(p.userId);
    await page.getByRole("button", { name: "Use a device code instead" }).click();
    const userCode = (await page.locator("[data-user-code]").textContent())?.trim() ?? "";
    expect(await page.locator("[data-device-account]").textContent()).toContain(`Account of ${p.userId}`);
    expect(userCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    await page.screenshot({ path: `${shots}/6-device-code.png`, fullPage: true });

    const github = await page.context().newPage();
    await github.goto((await page.locator(".card a").first().getAttribute("href")) ?? "");
    await signInAtGitHub(github, p.login);
    await github.fill("#user-code", userCode);
    await github.click("#continue");
    await github.click("#device-authorize");
    await github.screenshot({ path: `${shots}/7-github-device-approved.png`, fullPage: true });

    // The device authorization polls GitHub from its alarm; the page refreshes itself every 5 s.
    await page.waitForSelector("[data-connected-as]");
    expect(await page.locator("[data-connected-as]").textContent()).toContain(`@${p.login}`);
    await page.screenshot({ path: `${shots}/8-device-connected.png`, fullPage: true });
    // Later visits say how the account was connected.
    await page.goto(`${suiteUrl}/settings`);
    expect(await page.locator("[data-device-connection]").textContent()).toContain(
      `GitHub @${p.login} connected through a device code issued at`,
    );
  });
});
