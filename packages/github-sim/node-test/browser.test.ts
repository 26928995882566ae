/**
 * The authorize and device pages in real Chromium (playwright-core + Debian's /usr/bin/chromium).
 * Skipped with a message only when Chromium is absent outside CI; in CI it must run.
 * Screenshots: test-results/github-sim/.
 */
import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CALLBACK, tokenRequest, useSimulator } from "./helpers.ts";

const CHROMIUM = "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
const mustRun = Boolean(process.env.CI);
const shots = fileURLToPath(new URL("../../../test-results/github-sim/", import.meta.url));

if (!available && !mustRun) {
  console.warn(
    `github-sim browser tests skipped: ${CHROMIUM} is missing (apt-get install -y chromium). In CI they run.`,
  );
}

const sim = useSimulator();

describe.skipIf(!available && !mustRun)("pages in Chromium", () => {
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** A page whose requests to the App's callback are answered locally (nothing listens there). */
  async function appPage(): Promise<{ page: Page; callbacks: URL[] }> {
    const context = await browser.newContext();
    const page = await context.newPage();
    const callbacks: URL[] = [];
    await page.route(`${CALLBACK}**`, async (route) => {
      callbacks.push(new URL(route.request().url()));
      await route.fulfill({ status: 200, contentType: "text/html", body: "<h1>back at the app</h1>" });
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
    await expect.poll(() => page.textContent("#title")).toContain("Authorize gitcred test");
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
    const page = await (await browser.newContext()).newPage();
    await page.goto(d.verification_uri);
    await page.fill("#user-code", d.user_code);
    await page.screenshot({ path: `${shots}device-enter-code.png` });
    await page.click("#continue");
    await expect.poll(() => page.textContent("#user-code-shown")).toBe(d.user_code);
    await page.screenshot({ path: `${shots}device-authorize.png` });
    await page.click("#device-authorize");
    await expect.poll(() => page.textContent("#result")).toContain("all set");
    await page.screenshot({ path: `${shots}device-approved.png` });
    expect(String((await poll(d.device_code)).access_token)).toMatch(/^ghu_/);

    const second = await start();
    await page.goto(second.verification_uri);
    await page.fill("#user-code", second.user_code);
    await page.click("#continue");
    await page.click("#device-cancel");
    await expect.poll(() => page.textContent("#result")).toContain("Access denied");
    await page.screenshot({ path: `${shots}device-denied.png` });
    expect((await poll(second.device_code)).error).toBe("access_denied");
    await page.context().close();
  });
});
