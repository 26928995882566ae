/**
 * The settings page a person can trust, in real Chromium against the three workers, the simulator and
 * Postgres: every state (not connected, connected, installations, activity, reconnect required, SSO,
 * each confirmation page) passes axe-core with no violation, fits 375 px without sideways scrolling and
 * breaks no CSP rule; the avatar loads, and its initial shows when it cannot.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { createSimAdmin } from "../../../packages/github-sim/local/admin.ts";
import { eventOnlyContext, launchChromium } from "../../../test-support/chromium.ts";
import { callRpc } from "../../../test-support/platform-worker.ts";
import { checkState, imagesSettled, watchCsp } from "./support/check-page.ts";

const suiteUrl = inject("suiteUrl");
const platformUrl = inject("platformUrl");
const simUrl = inject("simUrl");
const sim = createSimAdmin(simUrl);
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
  await sim.seedApp({
    slug: inject("githubAppSlug"),
    setupUrl: `${suiteUrl}/github/setup`,
    setupOnUpdate: true,
  });
  await sim.setSession({ autoApprove: "approve", login: null });
});
// Each test's person signs in on GitHub's page afresh (nobody is signed in at the simulator).
beforeEach(async () => {
  await sim.setSession({ autoApprove: "approve", login: null });
});
afterAll(async () => {
  await browser?.close();
});

interface Person {
  login: string;
  name: string;
  githubUserId: number;
  userId: string;
  tenantId: string;
  org: string;
}

/** A person at the simulated GitHub, admin of an org with a repository, and their platform ids. */
async function person(): Promise<Person> {
  const tag = Math.random().toString(36).slice(2, 8);
  const login = `trust-${tag}`;
  const name = `Ada ${tag}`;
  const account = await sim.seedUser({ login, name });
  const org = `trust-org-${tag}`;
  await sim.seedOrg({ login: org, members: { [login]: "admin" } });
  await sim.seedRepo({ owner: org, name: "widgets", collaborators: { [login]: "admin" } });
  return { login, name, githubUserId: account.id, userId: `user-${tag}`, tenantId: `tenant-${tag}`, org };
}

/** Opens a settings link as the person does (interstitial, Continue); returns the page and CSP log. */
async function openSettings(p: Person): Promise<{ page: Page; refused: string[] }> {
  const link = await callRpc<{ ok: boolean; url: string }>(platformUrl, "CONNECT", "createSettingsLink", {
    userId: p.userId,
    tenantId: p.tenantId,
    displayName: `${p.name} (acme workspace)`,
  });
  expect(link.ok).toBe(true);
  const page = await (await eventOnlyContext(browser)).newPage();
  const refused = watchCsp(page);
  await page.goto(link.url);
  await page.getByRole("button", { name: `Continue as ${p.name} (acme workspace)` }).click();
  await page.waitForURL(`${suiteUrl}/settings`);
  return { page, refused };
}

async function connect(page: Page, login: string): Promise<void> {
  await page.getByRole("button", { name: "Connect GitHub" }).click();
  await page.selectOption("#login", login);
  await page.click("#sign-in");
  await page.waitForURL(`${suiteUrl}/settings?github=connected`);
}

/** Installs the App on the person's org through the page's install flow (all repositories). */
async function install(page: Page, org: string): Promise<void> {
  await page.getByRole("button", { name: "Install the GitHub App on more repositories" }).click();
  await page.waitForURL(/\/installations\/new/);
  const form = page.locator(`form[data-target="${org}"]`);
  await form.getByLabel("All repositories").check();
  await form.getByRole("button", { name: "Install" }).click();
  await page.waitForURL(`${suiteUrl}/settings?github=installation_claimed`);
}

/** An agent session of the person on the org's repository, handed a credential (through the platform). */
async function sessionHandOut(p: Person): Promise<string> {
  const sessionId = `sess-${Math.random().toString(36).slice(2, 10)}`;
  const prepared = await callRpc<{ ok: boolean }>(platformUrl, "SESSION", "prepareSession", {
    sessionId,
    userId: p.userId,
    tenantId: p.tenantId,
    owner: p.org,
    repo: "widgets",
    mode: "now",
  });
  expect(prepared.ok).toBe(true);
  const credentials = await callRpc<{ ok: boolean; identity?: string }>(
    platformUrl,
    "SESSION",
    "getGitCredentials",
    { sessionId, userId: p.userId },
  );
  expect(credentials).toMatchObject({ ok: true, identity: "user" });
  return sessionId;
}

async function avatarLoaded(page: Page): Promise<boolean> {
  await imagesSettled(page);
  return page.locator("[data-connected-as]").evaluate((el) => {
    const image = el.closest(".row")?.querySelector("img");
    return image instanceof HTMLImageElement && image.naturalWidth > 0;
  });
}

describe("settings page states in Chromium", () => {
  it("not connected -> connect: the account named, the avatar loads (its initial when it cannot), installations, activity", async () => {
    const p = await person();
    const { page, refused } = await openSettings(p);
    expect(await page.locator('[data-state="not_connected"]').count()).toBe(1);
    expect(await page.getByRole("banner").textContent()).toContain(
      `Platform account: ${p.name} (acme workspace)`,
    );
    await checkState(page, "1-not-connected", { dark: true });

    await connect(page, p.login);
    expect(await page.locator("[data-connected-as]").textContent()).toContain(`Connected as @${p.login}`);
    expect(await page.locator('[data-state="active"]').count()).toBe(1);
    expect(await avatarLoaded(page)).toBe(true);
    await checkState(page, "2-connected", { dark: true });

    await install(page, p.org);
    expect(await page.locator('[data-selection="all"]').textContent()).toContain(
      `All repositories of ${p.org}`,
    );
    await checkState(page, "3-installation-claimed");

    const sessionId = await sessionHandOut(p);
    await page.goto(`${suiteUrl}/settings`);
    const entry = page.locator('[data-activity="credential_handed_out"]').first();
    expect(await entry.locator("[data-activity-session]").textContent()).toBe(sessionId);
    expect(await entry.locator("[data-activity-repository]").textContent()).toBe(`${p.org}/widgets`);
    expect(await entry.locator("[data-activity-identity]").getAttribute("data-activity-identity")).toBe(
      "user",
    );
    await checkState(page, "4-activity", { dark: true });

    // An avatar that cannot load: the initial underneath shows, no broken image.
    await page.route(`${simUrl}/avatars/**`, (route) => route.abort());
    await page.reload();
    expect(await avatarLoaded(page)).toBe(false);
    const initial = page
      .locator("[data-connected-as]")
      .locator("xpath=ancestor::div[@class='row']//span[@data-avatar-initial]");
    expect(await initial.getAttribute("data-avatar-initial")).toBe(p.login[0]?.toUpperCase());
    expect(await initial.locator("span").isVisible()).toBe(true);
    await checkState(page, "5-avatar-fallback");
    expect(refused.filter((line) => !line.includes("/avatars/"))).toEqual([]);
  });

  it("reconnect after revocation: the state and its reason, the confirmation page, then active again", async () => {
    const p = await person();
    const { page, refused } = await openSettings(p);
    await connect(page, p.login);
    // The person revokes gitcred on GitHub; GitHub's webhook reaches git-token, which confirms it.
    expect(await sim.revokeGrant(Number(inject("githubAppId")), p.login, { webhook: false })).toBe(true);
    const revoked = await callRpc<{ ok: boolean; affected?: boolean }>(
      platformUrl,
      "GIT_TOKEN",
      "handleGrantRevoked",
      {
        githubUserId: p.githubUserId,
      },
    );
    expect(revoked).toMatchObject({ ok: true, affected: true });
    await page.goto(`${suiteUrl}/settings`);
    expect(await page.locator('[data-state="reconnect_required"]').count()).toBe(1);
    expect(await page.locator("[data-reconnect-reason]").getAttribute("data-reconnect-reason")).toBe(
      "grant_revoked",
    );
    await checkState(page, "6-reconnect-required", { dark: true });

    await page.getByRole("link", { name: "Reconnect GitHub" }).first().click();
    await page.waitForURL(`${suiteUrl}/settings/confirm/reconnect`);
    await checkState(page, "7-confirm-reconnect");
    await sim.setSession({ autoApprove: "approve", login: null });
    await page.getByRole("button", { name: "Continue to GitHub" }).click();
    await page.selectOption("#login", p.login);
    await page.click("#sign-in");
    await page.waitForURL(`${suiteUrl}/settings?github=connected`);
    expect(await page.locator('[data-state="active"]').count()).toBe(1);
    expect(refused).toEqual([]);
  });

  it("SSO authorization needed for an organisation (real SAML enforcement at the simulator): the state and GitHub's own link", async () => {
    const p = await person();
    const { page, refused } = await openSettings(p);
    await connect(page, p.login);
    await install(page, p.org);
    // The org starts enforcing SAML SSO: GitHub refuses the person's token there until they authorize it.
    await sim.setSamlEnforcement(p.org, true);
    const refusal = await callRpc<{ ok: boolean; reason?: string }>(
      platformUrl,
      "GIT_TOKEN",
      "getUserTokenForRepo",
      {
        userId: p.userId,
        owner: p.org,
        repo: "widgets",
      },
    );
    expect(refusal).toMatchObject({ ok: false, reason: "sso_required" });
    expect(JSON.stringify(refusal)).not.toContain("authorization_request");

    await page.goto(`${suiteUrl}/settings`);
    expect(await page.locator('[data-state="sso_required"]').getAttribute("data-sso-organization")).toBe(
      p.org,
    );
    const link = page.getByRole("link", { name: `Authorize for ${p.org} on GitHub` });
    const href = (await link.getAttribute("href")) ?? "";
    expect(new URL(href).origin).toBe(new URL(simUrl).origin);
    await checkState(page, "8-sso-required", { dark: true });
    expect(refused).toEqual([]);
  });

  it("disconnect, end the sessions and delete my data, each through its confirmation page", async () => {
    const p = await person();
    const { page, refused } = await openSettings(p);
    await connect(page, p.login);
    await install(page, p.org);
    const sessionId = await sessionHandOut(p);

    await page.getByRole("link", { name: "End the active sessions" }).click();
    await checkState(page, "9-confirm-end-sessions");
    await page.getByRole("button", { name: "End the sessions" }).click();
    await page.waitForURL(`${suiteUrl}/settings?github=sessions_ended`);
    const after = await callRpc<{ ok: boolean }>(platformUrl, "SESSION", "getGitCredentials", {
      sessionId,
      userId: p.userId,
    });
    expect(after.ok).toBe(false);

    await page.getByRole("link", { name: "Disconnect GitHub" }).click();
    await checkState(page, "10-confirm-disconnect");
    await page.getByRole("button", { name: "Disconnect" }).click();
    await page.waitForURL(`${suiteUrl}/settings?github=disconnected`);
    expect(await page.locator('[data-state="not_connected"]').count()).toBe(1);
    expect((await sim.grants()).some((g) => g.userId === p.githubUserId)).toBe(false);

    await page.getByRole("link", { name: "Delete my data" }).click();
    await checkState(page, "11-confirm-delete", { dark: true });
    await page.getByRole("button", { name: "Delete my data" }).click();
    await page.waitForSelector("[data-deleted]");
    await checkState(page, "12-data-deleted");
    expect(await page.context().cookies(suiteUrl)).toEqual([]);
    const answer = await page.goto(`${suiteUrl}/settings`);
    expect(answer?.status()).toBe(401);
    const activity = await callRpc<{ ok: boolean; events: unknown[] }>(
      platformUrl,
      "GIT_TOKEN",
      "listActivity",
      {
        userId: p.userId,
      },
    );
    expect(activity).toEqual({ ok: true, events: [] });
    expect(refused).toEqual([]);
  });
});
