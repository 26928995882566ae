/**
 * The install flow end to end in real Chromium: the settings page's "Install" button, the simulator's
 * GitHub install page (choose the organisation, all repositories), GitHub's redirect to the App's Setup
 * URL, and the claim recorded for the settings link's tenant only after the person's own token lists the
 * installation. The App path then answers the tenant, and no other.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createSimAdmin } from "../../../packages/github-sim/local/admin.ts";
import { eventOnlyContext, launchChromium } from "../../../test-support/chromium.ts";
import { callRpc } from "../../../test-support/platform-worker.ts";

const suiteUrl = inject("suiteUrl");
const platformUrl = inject("platformUrl");
const sim = createSimAdmin(inject("simUrl"));
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
  // GitHub sends the person back to the App's Setup URL: this suite's /github/setup.
  await sim.seedApp({
    slug: inject("githubAppSlug"),
    setupUrl: `${suiteUrl}/github/setup`,
    setupOnUpdate: true,
  });
  await sim.setSession({ autoApprove: "approve", login: null });
});
afterAll(async () => {
  await browser?.close();
  await sim.setSession({ autoApprove: "approve", login: null });
});

describe("install flow in Chromium", () => {
  it("settings page -> GitHub's install page -> Setup URL: the tenant's claim, checked with the person's token", async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    const login = `e2e-installer-${tag}`;
    await sim.seedUser({ login, name: `Installer ${tag}` });
    const org = `e2e-org-${tag}`;
    await sim.seedOrg({ login: org, members: { [login]: "admin" } });
    await sim.seedRepo({ owner: org, name: "widgets", collaborators: { [login]: "admin" } });
    const tenantId = `tenant-${tag}`;
    const userId = `user-${tag}`;
    const link = await callRpc<{ ok: boolean; url: string }>(platformUrl, "CONNECT", "createSettingsLink", {
      userId,
      tenantId,
      displayName: `Installer ${tag}`,
    });
    expect(link.ok).toBe(true);
    const page = await (await eventOnlyContext(browser)).newPage();
    await page.goto(link.url);
    // The link's interstitial: nothing is redeemed until the person presses Continue.
    await page.getByRole("button", { name: `Continue as Installer ${tag}` }).click();
    await page.waitForURL(`${suiteUrl}/settings`);
    // Connect first (approved at once): the claim is checked with the person's own token.
    await page.getByRole("button", { name: "Connect GitHub" }).click();
    await page.selectOption("#login", login);
    await page.click("#sign-in");
    await page.waitForURL(`${suiteUrl}/settings?github=connected`);

    await page.getByRole("button", { name: "Install the GitHub App on more repositories" }).click();
    await page.waitForURL(/\/installations\/new/);
    const form = page.locator(`form[data-target="${org}"]`);
    await form.getByLabel("All repositories").check();
    await form.getByRole("button", { name: "Install" }).click();
    await page.waitForURL(`${suiteUrl}/settings?github=installation_claimed`);
    expect(await page.locator("[data-notice]").getAttribute("data-notice")).toBe("installation_claimed");

    const listed = await callRpc<{ ok: boolean; claims: { installationId: number; accountLogin: string }[] }>(
      platformUrl,
      "GIT_TOKEN",
      "listInstallationGrants",
      { tenantId },
    );
    expect(listed.claims).toHaveLength(1);
    expect(listed.claims[0]?.accountLogin).toBe(org);
    expect(await page.locator(`[data-installation-id="${listed.claims[0]?.installationId}"]`).count()).toBe(
      1,
    );

    // The tenant gets the App's token there; another tenant does not.
    const own = await callRpc<{ ok: boolean }>(platformUrl, "GIT_TOKEN", "getInstallationToken", {
      tenantId,
      owner: org,
      repo: "widgets",
    });
    expect(own.ok).toBe(true);
    const other = await callRpc<{ ok: boolean; reason?: string }>(
      platformUrl,
      "GIT_TOKEN",
      "getInstallationToken",
      {
        tenantId: `${tenantId}-other`,
        owner: org,
        repo: "widgets",
      },
    );
    expect(other).toMatchObject({ ok: false, reason: "no_entitlement" });
  });
});
