/**
 * Issue #13 §6 (erasure that is complete) and §3 (device-flow budgets), run for real: git-token's
 * `deleteUserData` through the operator's entrypoint, the connect worker's pages and device objects, real
 * Postgres, the simulator as GitHub. Each attack counts what GitHub was asked or what rows remain.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { deviceAuthorizations, openDatabase, rateLimits, settingsLinks } from "@gitcred/db";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { Browser } from "./browser.ts";
import { DEVICE_START_LIMITS } from "./constants.ts";
import { connectService, seedPerson, signedInBrowser, sim } from "./helpers.ts";

const handle = openDatabase(env);
afterAll(() => handle.close());
const db = handle.db;

const DEVICE_POLLS = "POST /login/oauth/access_token#urn:ietf:params:oauth:grant-type:device_code";

function stubFor(deviceHandle: string) {
  return env.DEVICE_AUTHORIZATIONS.get(env.DEVICE_AUTHORIZATIONS.idFromName(deviceHandle));
}

async function storedKeys(deviceHandle: string): Promise<string[]> {
  return runInDurableObject(stubFor(deviceHandle), async (_o, state) => [
    ...(await state.storage.list()).keys(),
  ]);
}

/** Every device object's alarm, run now: how many token-endpoint polls they made between them. */
async function pollAll(handles: string[]): Promise<number> {
  await sim.advanceClock(6);
  const before = await sim.count(DEVICE_POLLS);
  await Promise.all(handles.map((h) => runDurableObjectAlarm(stubFor(h))));
  return (await sim.count(DEVICE_POLLS)) - before;
}

function deviceHandleOf(res: Response): string | undefined {
  return /[?&]device=([A-Za-z0-9_-]+)/.exec(res.headers.get("location") ?? "")?.[1];
}

describe("device-flow budgets", () => {
  it("20 concurrent starts from one page session: the rest are refused (429, Retry-After), one pending poller remains", async () => {
    const person = await seedPerson();
    const browser = await signedInBrowser(person.userId);
    const csrf = await browser.csrf();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => browser.post("/github/device", { csrf })),
    );
    const started = answers.filter((r) => r.status === 303 && deviceHandleOf(r) !== undefined);
    const refused = answers.filter((r) => r.status === 429);
    expect(started.length).toBeLessThanOrEqual(DEVICE_START_LIMITS.perPageSession.limit);
    expect(started.length + refused.length).toBe(20);
    for (const res of refused) {
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await res.text()).toContain("Too many device connections");
    }
    const rows = await db
      .select()
      .from(deviceAuthorizations)
      .where(eq(deviceAuthorizations.userId, person.userId));
    expect(rows).toHaveLength(1);
    // Only the current authorization polls; the ones it replaced stop (and drop their device code).
    const handles = started.map((r) => deviceHandleOf(r) ?? "");
    expect(await pollAll(handles)).toBeLessThanOrEqual(1);
    const left = await Promise.all(handles.map(storedKeys));
    expect(left.filter((keys) => keys.length > 0).length).toBe(1);
  });

  it("the platform's starts for one person are budgeted too (typed rate_limited with a retry time)", async () => {
    const person = await seedPerson();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => connectService().startDeviceConnect({ userId: person.userId })),
    );
    const ok = answers.filter((a) => a.ok);
    expect(ok.length).toBe(DEVICE_START_LIMITS.perPerson.limit);
    for (const a of answers.filter((a) => !a.ok)) {
      expect(a).toMatchObject({ ok: false, reason: "rate_limited" });
      expect(a.ok ? 0 : (a.retryAfterSeconds ?? 0)).toBeGreaterThan(0);
    }
    expect(await pollAll(ok.map((a) => (a.ok ? a.handle : "")))).toBeLessThanOrEqual(1);
  });
});

describe("erasure reaches the connect worker", () => {
  it("after deleteUserData: an unopened link and an open page are refused, device records are gone", async () => {
    const person = await seedPerson();
    const open = await signedInBrowser(person.userId);
    const csrf = await open.csrf();
    const device = await open.post("/github/device", { csrf });
    const deviceHandle = deviceHandleOf(device);
    if (deviceHandle === undefined) throw new Error(`device start: ${device.status}`);
    const unopened = await connectService().createSettingsLink({ userId: person.userId });
    if (!unopened.ok) throw new Error(unopened.reason);

    const erased = await env.GIT_TOKEN_ADMIN.deleteUserData({ userId: person.userId });
    expect(erased).toMatchObject({ ok: true, settingsLinksDeleted: 1, deviceAuthorizationsDeleted: 1 });

    // The open page answers as nobody, for GET and POST alike.
    expect((await open.page("/settings")).status).toBe(401);
    const disconnect = await open.post("/github/disconnect", { csrf });
    expect(disconnect.headers.get("location")).toBe("/settings");
    // The unopened link opens nothing.
    expect((await new Browser().page(unopened.url)).status).toBe(401);
    // The device authorization answers nothing, polls no more and keeps nothing.
    expect(await connectService().getDeviceConnect({ handle: deviceHandle })).toEqual({
      ok: false,
      reason: "not_found",
    });
    expect(await pollAll([deviceHandle])).toBe(0);
    expect(await storedKeys(deviceHandle)).toEqual([]);
    expect(await db.select().from(settingsLinks).where(eq(settingsLinks.userId, person.userId))).toEqual([]);
    expect(await db.select().from(rateLimits).where(eq(rateLimits.userId, person.userId))).toEqual([]);

    // The person can come back: a link made after the erasure works.
    const again = await signedInBrowser(person.userId);
    expect((await again.page("/settings")).status).toBe(200);
  });
});
