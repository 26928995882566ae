/**
 * The authorize, device and install pages in real Chromium (playwright-core; the browser is found or, failing
 * that, the one the project ships is used: test-support/chromium.ts). Never skipped.
 * Screenshots: test-results/github-sim/.
 *
 * Load-independent: every wait is for an event (a URL, an element's text), never a clock; Playwright's
 * own 30 s action timeout is off, so a busy machine makes the test slower, not red. The test timeout
 * (vitest's) is the only bound, and it is generous.
 */
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventOnlyContext, launchChromium } from "../../../test-support/chromium.ts";
import { appKeys, CALLBACK, tokenRequest, useSimulator } from "./helpers.ts";

const shots = fileURLToPath(new URL("../../../test-results/github-sim/", import.meta.url));

const sim = useSimulator();

describe("pages in Chromium", { timeout: 300_000 }, () => {
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  /**
   * A page whose arrival at the App's callback is recorded. Playwright routes only a navigation's first
   * request, not the redirect the simulator answers with, so the callback is a real listener (helpers.ts)
   * and the URL the page lands on is what the App received.
   */
  async function appPage(): Promise<{ page: Page; callbacks: URL[] }> {
    const page = await (await eventOnlyContext(browser)).newPage();
    const callbacks: URL[] = [];
    page.on("framenavigated", (frame) => {
      if (frame === page.mainFrame() && frame.url().startsWith(CALLBACK))
        callbacks.push(new URL(frame.url()));
    });
    return { page, callbacks };
  }

  function authorizeUrl(state: string): string {
    const q = new URLSearchParams({ client_id: sim.world.app.clientId, redirect_uri: CALLBACK, state });
    return `${sim.url}/login/oauth/authorize?${q}`;
  }

  it("signs in, approves, and the App gets a code it can exchange", async () => {
    const { page, callbacks } = await appPage();
    await page.goto(authorizeUrl("approve-state"));
    await page.selectOption("#login", "octocat");
    await page.screenshot({ path: `${shots}authorize-sign-in.png` });
    await page.click("#sign-in");
    await page.locator("#title", { hasText: "Authorize gitcred test" }).waitFor();
    await page.screenshot({ path: `${shots}authorize-page.png` });
    await page.click("#js-oauth-authorize-btn");
    await page.waitForURL(`${CALLBACK}**`);
    await page.screenshot({ path: `${shots}authorize-approved.png` });
    const back = callbacks.at(-1);
    expect(back?.searchParams.get("state")).toBe("approve-state");
    const code = back?.searchParams.get("code") ?? "";
    const token = await tokenRequest(sim.url, {
      client_id: sim.world.app.clientId,
      client_secret: sim.world.app.clientSecret,
      code,
      redirect_uri: CALLBACK,
    });
    expect(String(token.access_token)).toMatch(/^ghu_/);
    await page.context().close();
  });

  it("denies: the App gets error=access_denied", async () => {
    await sim.admin.setSession({ login: "hubot" });
    const { page, callbacks } = await appPage();
    await page.goto(authorizeUrl("deny-state"));
    expect(await page.textContent("#signed-in-as")).toBe("hubot");
    await page.click("#js-oauth-authorize-cancel");
    await page.waitForURL(`${CALLBACK}**`);
    await page.screenshot({ path: `${shots}authorize-denied.png` });
    const back = callbacks.at(-1);
    expect(back?.searchParams.get("error")).toBe("access_denied");
    expect(back?.searchParams.get("state")).toBe("deny-state");
    expect(back?.searchParams.get("code")).toBeNull();
    await page.context().close();
  });

  it("installs the App: signs in, picks repositories, lands on the setup URL", async () => {
    // The callback listener answers every path: the setup URL is a page of the same App.
    const setupUrl = `${new URL(CALLBACK).origin}/github/setup`;
    await sim.admin.seedApp({ slug: "gitcred-test", publicKeyPem: appKeys().publicKeyPem, setupUrl });
    const dotfiles = await sim.admin.seedRepo({ owner: "octocat", name: "dotfiles" });
    await sim.admin.seedRepo({ owner: "octocat", name: "notes" });
    const page = await (await eventOnlyContext(browser)).newPage();
    await page.goto(`${sim.url}/apps/gitcred-test/installations/new?state=install-state`);
    await page.selectOption("#login", "octocat");
    await page.click("#sign-in");
    await page.locator("#title", { hasText: "Install gitcred test" }).waitFor();
    const form = page.locator('form[data-target="octocat"]');
    await form.getByLabel("Only select repositories").check();
    await form.getByLabel("octocat/dotfiles").check();
    await page.screenshot({ path: `${shots}install-page.png` });
    await form.getByRole("button", { name: "Install" }).click();
    await page.waitForURL(`${setupUrl}**`);
    const landed = new URL(page.url());
    const installation = (
      (await sim.admin.state()).installations as { id: number; accountId: number; repositoryIds: number[] }[]
    ).find((i) => i.accountId === 583231);
    expect(installation?.repositoryIds).toEqual([dotfiles.id]);
    expect(Object.fromEntries(landed.searchParams)).toEqual({
      installation_id: String(installation?.id),
      setup_action: "install",
      state: "install-state",
    });
    await page.context().close();
  });

  it("device flow: enters the user code and approves; a second code is denied", async () => {
    await sim.admin.setSession({ login: "octocat" });
    const start = async () => {
      const res = await fetch(`${sim.url}/login/device/code`, {
        method: "POST",
        headers: { accept: "application/json" },
        body: new URLSearchParams({ client_id: sim.world.app.clientId }),
      });
      return (await res.json()) as { device_code: string; user_code: string; verification_uri: string };
    };
    const poll = (deviceCode: string) =>
      tokenRequest(sim.url, {
        client_id: sim.world.app.clientId,
        device_code: deviceCode,
        grant_type: "urn:ietf:params:oauth:grant-type:device_code",
      });

    const d = await start();
    const page = await (await eventOnlyContext(browser)).newPage();
    await page.goto(d.verification_uri);
    await page.fill("#user-code", d.user_code);
    await page.screenshot({ path: `${shots}device-enter-code.png` });
    await page.click("#continue");
    await page.locator("#user-code-shown", { hasText: d.user_code }).waitFor();
    await page.screenshot({ path: `${shots}device-authorize.png` });
    await page.click("#device-authorize");
    await page.locator("#result", { hasText: "all set" }).waitFor();
    await page.screenshot({ path: `${shots}device-approved.png` });
    expect(String((await poll(d.device_code)).access_token)).toMatch(/^ghu_/);

    const second = await start();
    await page.goto(second.verification_uri);
    await page.fill("#user-code", second.user_code);
    await page.click("#continue");
    await page.click("#device-cancel");
    await page.locator("#result", { hasText: "Access denied" }).waitFor();
    await page.screenshot({ path: `${shots}device-denied.png` });
    expect((await poll(second.device_code)).error).toBe("access_denied");
    await page.context().close();
  });
});
