/**
 * The install flow through gitcred, run for real: the settings page starts it (single-use state bound to
 * this browser and person), GitHub's Setup URL brings `installation_id` back, and git-token claims the
 * installation only after the person's own token lists it. Each attack on the callback claims nothing.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Browser } from "./browser.ts";
import {
  connectThroughBrowser,
  gitToken,
  openFreshLink,
  seedPerson,
  signedInBrowser,
  sim,
  unique,
} from "./helpers.ts";

/** A person connected through the settings page of a fresh link for `tenantId`, and their org's installation. */
async function connectedWithInstallation(tenantId: string) {
  const person = await seedPerson();
  const owner = unique("org");
  await sim.seedOrg({ login: owner, members: { [person.login]: "admin" } });
  await sim.seedRepo({ owner, name: "widgets" });
  const installation = await sim.seedInstallation({
    app: Number(env.GITHUB_APP_ID),
    account: owner,
    repositories: ["widgets"],
    webhook: false,
  });
  const { browser, opened } = await openFreshLink({ userId: person.userId, tenantId });
  expect(opened.status).toBe(303);
  expect(await connectThroughBrowser(browser, person.login)).toBe("/settings?github=connected");
  return { person, owner, installationId: installation.id, browser };
}

/** Presses "Install the GitHub App" and returns the state GitHub would be handed. */
async function startInstall(browser: Browser): Promise<string> {
  const res = await browser.post("/github/install", { csrf: await browser.csrf() });
  expect(res.status).toBe(303);
  const target = new URL(res.headers.get("location") ?? "");
  expect(`${target.origin}${target.pathname}`).toBe(
    `${env.GITHUB_WEB_URL}/apps/${env.GITHUB_APP_SLUG}/installations/new`,
  );
  const state = target.searchParams.get("state");
  expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
  return state ?? "";
}

const setup = (installationId: number, state: string) =>
  `/github/setup?installation_id=${installationId}&setup_action=install&state=${encodeURIComponent(state)}`;

async function claims(tenantId: string): Promise<number[]> {
  const listed = await gitToken().listInstallationGrants({ tenantId });
  if (!listed.ok) throw new Error(listed.reason);
  return listed.claims.map((c) => c.installationId);
}

describe("the install flow", () => {
  it("claims the installation for the link's tenant once GitHub returns to the Setup URL", async () => {
    const tenantId = unique("tenant");
    const { browser, installationId, owner } = await connectedWithInstallation(tenantId);
    expect((await browser.page("/settings")).html).toContain("Install the GitHub App");
    const state = await startInstall(browser);
    const back = await browser.request(setup(installationId, state));
    expect(back.headers.get("location")).toBe("/settings?github=installation_claimed");
    expect(await claims(tenantId)).toEqual([installationId]);
    const page = await browser.page("/settings?github=installation_claimed");
    expect(page.html).toContain(`data-installation-id="${installationId}"`);
    expect(page.html).toContain(owner);
  });

  it("a replayed, forged or foreign-browser state claims nothing", async () => {
    const tenantId = unique("tenant");
    const { browser, installationId, person } = await connectedWithInstallation(tenantId);
    // Forged: a state this deployment never issued.
    const forged = await browser.request(setup(installationId, "A".repeat(43)));
    expect(forged.headers.get("location")).toBe("/settings?github=install_state_invalid");
    // No state at all: an install started on GitHub itself.
    const bare = await browser.request(
      `/github/setup?installation_id=${installationId}&setup_action=install`,
    );
    expect(bare.headers.get("location")).toBe("/settings?github=install_state_invalid");
    // Another browser (an attacker who sent the person a Setup URL, or the reverse): the state is bound.
    const state = await startInstall(browser);
    const other = await signedInBrowser(person.userId);
    expect((await other.request(setup(installationId, state))).headers.get("location")).toBe(
      "/settings?github=install_state_invalid",
    );
    // ...and the state was spent by that attempt: a replay in the right browser is refused too.
    expect((await browser.request(setup(installationId, state))).headers.get("location")).toBe(
      "/settings?github=install_state_invalid",
    );
    expect(await claims(tenantId)).toEqual([]);
    // Concurrent callbacks with one state: exactly one is believed.
    const fresh = await startInstall(browser);
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => browser.request(setup(installationId, fresh))),
    );
    expect(
      answers.map((r) => r.headers.get("location")).filter((l) => l?.endsWith("installation_claimed")),
    ).toHaveLength(1);
    expect(await claims(tenantId)).toEqual([installationId]);
  });

  it("an installation_id the person cannot see is refused: no claim", async () => {
    const tenantId = unique("tenant");
    const { browser } = await connectedWithInstallation(tenantId);
    // Someone else's installation, on an org the person has nothing to do with.
    const stranger = unique("org");
    await sim.seedOrg({ login: stranger });
    await sim.seedRepo({ owner: stranger, name: "private" });
    const theirs = await sim.seedInstallation({
      app: Number(env.GITHUB_APP_ID),
      account: stranger,
      repositories: ["private"],
      webhook: false,
    });
    const state = await startInstall(browser);
    expect((await browser.request(setup(theirs.id, state))).headers.get("location")).toBe(
      "/settings?github=installation_not_visible",
    );
    expect(await claims(tenantId)).toEqual([]);
  });
});
