/**
 * Device flow: codes, polling semantics (pending, slow_down persistent +5 s, denied, expired,
 * incorrect, disabled), one token per device code, against GitHub's documented fields.
 */
import { describe, expect, it } from "vitest";
import { api, CALLBACK, tokenRequest, useSimulator } from "./helpers.ts";
import {
  DEVICE_CODE_RESPONSE,
  ERROR_RESPONSE,
  fieldErrors,
  SLOW_DOWN_RESPONSE,
  TOKEN_RESPONSE,
} from "./oauth-fields.ts";

const sim = useSimulator();
const GRANT = "urn:ietf:params:oauth:grant-type:device_code";

async function deviceCode(): Promise<{ device_code: string; user_code: string; interval: number }> {
  const res = await fetch(`${sim.url}/login/device/code`, {
    method: "POST",
    headers: { accept: "application/json", "content-type": "application/json" },
    body: JSON.stringify({ client_id: sim.world.app.clientId }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { device_code: string; user_code: string; interval: number };
}

const poll = (code: string) =>
  tokenRequest(sim.url, { client_id: sim.world.app.clientId, device_code: code, grant_type: GRANT });

describe("device flow", () => {
  it("issues codes with the documented fields", async () => {
    const body = (await deviceCode()) as unknown as Record<string, unknown>;
    expect(fieldErrors(body, DEVICE_CODE_RESPONSE)).toEqual([]);
    expect(body.device_code).toMatch(/^[0-9a-f]{40}$/);
    expect(body.user_code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(body).toMatchObject({ verification_uri: `${sim.url}/login/device`, expires_in: 899, interval: 5 });
    const form = await fetch(`${sim.url}/login/device/code`, {
      method: "POST",
      body: new URLSearchParams({ client_id: sim.world.app.clientId }),
    });
    expect(Object.keys(Object.fromEntries(new URLSearchParams(await form.text()))).sort()).toEqual(
      Object.keys(DEVICE_CODE_RESPONSE).sort(),
    );
  });

  it("pending, then slow_down (+5 s, persistent), then one token, then incorrect_device_code", async () => {
    const d = await deviceCode();
    const first = await poll(d.device_code);
    expect(fieldErrors(first, ERROR_RESPONSE)).toEqual([]);
    expect(first.error).toBe("authorization_pending");

    const fast = await poll(d.device_code);
    expect(fieldErrors(fast, SLOW_DOWN_RESPONSE)).toEqual([]);
    expect(fast).toMatchObject({ error: "slow_down", interval: 10 });

    // The raised interval persists: 6 s is enough for the original 5 s, not for the new 10 s.
    await sim.admin.advanceClock(6);
    expect(await poll(d.device_code)).toMatchObject({ error: "slow_down", interval: 15 });
    await sim.admin.advanceClock(16);
    expect((await poll(d.device_code)).error).toBe("authorization_pending");

    await sim.admin.authorizeDevice(d.user_code, { login: "octocat" });
    await sim.admin.advanceClock(16);
    const token = await poll(d.device_code);
    expect(fieldErrors(token, TOKEN_RESPONSE)).toEqual([]);
    expect((await api(sim.url, "/user", String(token.access_token))).status).toBe(200);

    await sim.admin.advanceClock(16);
    expect((await poll(d.device_code)).error).toBe("incorrect_device_code");
  });

  it("access_denied, expired_token, incorrect_device_code, device_flow_disabled", async () => {
    const denied = await deviceCode();
    await sim.admin.authorizeDevice(denied.user_code, { login: "octocat", approve: false });
    expect((await poll(denied.device_code)).error).toBe("access_denied");

    const late = await deviceCode();
    await sim.admin.advanceClock(901);
    expect((await poll(late.device_code)).error).toBe("expired_token");
    await expect(sim.admin.authorizeDevice(late.user_code, { login: "octocat" })).rejects.toThrow(/404/);

    expect((await poll("0".repeat(40))).error).toBe("incorrect_device_code");

    await sim.admin.seedApp({
      slug: "gitcred-test",
      id: 123456,
      publicKeyPem: sim.world.app.publicKeyPem,
      clientId: sim.world.app.clientId,
      clientSecret: sim.world.app.clientSecret,
      callbackUrls: [CALLBACK],
      deviceFlowEnabled: false,
    });
    const res = await fetch(`${sim.url}/login/device/code`, {
      method: "POST",
      headers: { accept: "application/json" },
      body: new URLSearchParams({ client_id: sim.world.app.clientId }),
    });
    expect(((await res.json()) as { error: string }).error).toBe("device_flow_disabled");
  });

  it("device tokens refresh without the client secret", async () => {
    const d = await deviceCode();
    await sim.admin.authorizeDevice(d.user_code, { login: "octocat" });
    const token = await poll(d.device_code);
    const refreshed = await tokenRequest(sim.url, {
      client_id: sim.world.app.clientId,
      grant_type: "refresh_token",
      refresh_token: String(token.refresh_token),
    });
    expect(fieldErrors(refreshed, TOKEN_RESPONSE)).toEqual([]);
  });

  it("the activation page takes a user code and asks to authorize", async () => {
    const d = await deviceCode();
    await sim.admin.setSession({ login: "octocat" });
    const entry = await fetch(`${sim.url}/login/device`);
    expect(await entry.text()).toContain('name="user_code"');
    const wrong = await fetch(`${sim.url}/login/device`, {
      method: "POST",
      body: new URLSearchParams({ user_code: "ZZZZ-ZZZZ" }),
    });
    expect(await wrong.text()).toContain("Incorrect or expired code");
    const typed = d.user_code.toLowerCase().replace("-", "");
    const confirm = await fetch(`${sim.url}/login/device`, {
      method: "POST",
      body: new URLSearchParams({ user_code: typed }),
    });
    expect(await confirm.text()).toContain("Authorize gitcred test");
    const done = await fetch(`${sim.url}/login/device/confirm`, {
      method: "POST",
      body: new URLSearchParams({ user_code: d.user_code, sim_action: "approve" }),
    });
    expect(await done.text()).toContain("Congratulations");
    expect((await poll(d.device_code)).access_token).toBeTruthy();
  });
});
