import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { DeviceRecord } from "../src/device/types.ts";
import { connectService, gitToken, seedPerson, signedInBrowser, sim } from "./helpers.ts";

function stubFor(handle: string) {
  return env.DEVICE_AUTHORIZATIONS.get(env.DEVICE_AUTHORIZATIONS.idFromName(handle));
}

async function record(handle: string): Promise<DeviceRecord | undefined> {
  return runInDurableObject(stubFor(handle), (_o, state) => state.storage.get<DeviceRecord>("record"));
}

async function userTokensIssuedTo(githubUserId: number) {
  return (await sim.issuedTokens()).filter((t) => t.kind === "user" && t.userId === githubUserId);
}

describe("device flow", () => {
  it("connects once however many callers ask and however often the alarm runs", async () => {
    const person = await seedPerson();
    const started = await connectService().startDeviceConnect({ userId: person.userId });
    if (!started.ok) throw new Error(started.reason);
    expect(started.userCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(started.verificationUri).toBe(`${env.GITHUB_WEB_URL}/login/device`);
    expect((await record(started.handle))?.deviceCodeEnc).toMatch(/^v1\./);

    await sim.advanceClock(6);
    expect(await runDurableObjectAlarm(stubFor(started.handle))).toBe(true);
    expect(await connectService().getDeviceConnect({ handle: started.handle })).toMatchObject({
      ok: true,
      status: "pending",
    });

    await sim.authorizeDevice(started.userCode, { login: person.login });
    await sim.advanceClock(6);
    const [answers] = await Promise.all([
      Promise.all(
        Array.from({ length: 50 }, () => connectService().getDeviceConnect({ handle: started.handle })),
      ),
      Promise.all(Array.from({ length: 5 }, () => runDurableObjectAlarm(stubFor(started.handle)))),
    ]);
    expect(answers.every((a) => a.ok)).toBe(true);
    // Late alarms (if any were rescheduled) must not poll again once connected.
    await sim.advanceClock(30);
    await runDurableObjectAlarm(stubFor(started.handle));

    expect(await connectService().getDeviceConnect({ handle: started.handle })).toMatchObject({
      ok: true,
      status: "connected",
      login: person.login,
    });
    expect(await userTokensIssuedTo(person.githubUserId)).toHaveLength(1);
    expect(await gitToken().getConnection({ userId: person.userId })).toMatchObject({
      connected: true,
      login: person.login,
    });
    const done = await record(started.handle);
    expect(done?.status).toBe("connected");
    expect(done?.deviceCodeEnc).toBeUndefined(); // the code is dropped when the flow ends
  });

  it("starts one device authorization per handle even when asked concurrently", async () => {
    const person = await seedPerson();
    const handle = "h".repeat(43);
    const before = await sim.count("POST /login/device/code");
    const views = await Promise.all(Array.from({ length: 20 }, () => stubFor(handle).start(person.userId)));
    expect(new Set(views.map((v) => (v.ok ? v.view.userCode : v.reason))).size).toBe(1);
    expect(await sim.count("POST /login/device/code")).toBe(before + 1);
  });

  it("slows down when GitHub says slow_down, and ends on denial", async () => {
    const person = await seedPerson();
    const started = await connectService().startDeviceConnect({ userId: person.userId });
    if (!started.ok) throw new Error(started.reason);
    await sim.advanceClock(6);
    await runDurableObjectAlarm(stubFor(started.handle));
    await runDurableObjectAlarm(stubFor(started.handle)); // polled again at once: too fast
    const slowed = await record(started.handle);
    expect(slowed?.intervalSeconds).toBe(10);
    expect(slowed?.status).toBe("pending");

    await sim.authorizeDevice(started.userCode, { login: person.login, approve: false });
    await sim.advanceClock(15);
    await runDurableObjectAlarm(stubFor(started.handle));
    expect(await connectService().getDeviceConnect({ handle: started.handle })).toMatchObject({
      status: "denied",
    });
    expect(await userTokensIssuedTo(person.githubUserId)).toHaveLength(0);
  });

  it("shows the user code on the settings page and the result after approval", async () => {
    const person = await seedPerson();
    const browser = await signedInBrowser(person.userId);
    const res = await browser.post("/github/device", { csrf: await browser.csrf() });
    const location = res.headers.get("location") ?? "";
    expect(location).toMatch(/^\/settings\?device=[A-Za-z0-9_-]{43}$/);
    const page = await browser.page(location);
    const userCode = /data-user-code[^>]*>([A-Z0-9-]+)</.exec(page.html)?.[1];
    expect(userCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(page.html).toContain('http-equiv="refresh"');
    // Another person's session learns nothing from the handle.
    const stranger = await signedInBrowser(`${person.userId}-stranger`);
    expect((await stranger.page(location)).html).not.toContain(userCode ?? "none");

    await sim.authorizeDevice(userCode ?? "", { login: person.login });
    await sim.advanceClock(6);
    await runDurableObjectAlarm(stubFor(location.slice("/settings?device=".length)));
    const after = await browser.page(location);
    expect(after.html).toContain(`@${person.login}`);
    expect(after.html).toContain('data-notice="connected"');
  });

  it("validates RPC input", async () => {
    for (const bad of [{}, { userId: "" }, { userId: "a\nb" }, { handle: "short" }]) {
      expect(await connectService().startDeviceConnect(bad as never)).toMatchObject({
        ok: false,
        reason: "invalid_request",
      });
    }
    expect(await connectService().getDeviceConnect({ handle: "x" })).toMatchObject({
      reason: "invalid_request",
    });
    expect(await connectService().getDeviceConnect({ handle: "n".repeat(43) })).toMatchObject({
      reason: "not_found",
    });
  });
});

describe("device code consumption race", () => {
  it("trades one device code for exactly one token and one connection under concurrent polls", async () => {
    const { startDeviceFlow } = await import("@gitcred/github");
    const person = await seedPerson();
    const started = await startDeviceFlow(
      { apiUrl: env.GITHUB_API_URL, webUrl: env.GITHUB_WEB_URL },
      { clientId: env.GITHUB_CLIENT_ID },
    );
    if (!started.ok) throw new Error(started.reason);
    await sim.authorizeDevice(started.device.userCode, { login: person.login });
    await sim.advanceClock(6);
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        gitToken().completeDeviceAuthorization({
          userId: person.userId,
          deviceCode: started.device.deviceCode,
        }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await userTokensIssuedTo(person.githubUserId)).toHaveLength(1);
    expect(await gitToken().getConnection({ userId: person.userId })).toMatchObject({ connected: true });
  });
});
