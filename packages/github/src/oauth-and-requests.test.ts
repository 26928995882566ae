/**
 * The OAuth endpoint and the request layer against the simulator: errors answered with HTTP 200,
 * timeouts, dropped connections, malformed answers, and failures that never carry a secret.
 */
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { createSimAdmin } from "../../github-sim/local/admin.ts";
import { exchangeWebFlowCode } from "./exchange-web-flow-code.ts";
import { getAuthenticatedUser } from "./get-authenticated-user.ts";
import { pollDeviceFlow } from "./poll-device-flow.ts";
import { refreshUserToken } from "./refresh-user-token.ts";
import { requestOAuthToken } from "./request-oauth-token.ts";
import { revokeGrant } from "./revoke-grant.ts";
import { startDeviceFlow } from "./start-device-flow.ts";
import type { GitHubEndpoints } from "./types.ts";

const sim = createSimAdmin(env.SIM_URL);
const github: GitHubEndpoints = { apiUrl: env.SIM_URL, webUrl: env.SIM_URL, timeoutMs: 2000 };
const client = { clientId: env.GITHUB_CLIENT_ID, clientSecret: env.GITHUB_CLIENT_SECRET };
const SECRET_REFRESH = `ghr_${"Q".repeat(76)}`;

afterEach(async () => {
  await sim.clearFaults();
  await sim.clearLatency();
});

describe("the OAuth token endpoint", () => {
  it("maps errors answered with HTTP 200 to typed reasons, quoting nothing that was sent", async () => {
    const refreshed = await refreshUserToken(github, { ...client, refreshToken: SECRET_REFRESH });
    expect(refreshed).toMatchObject({ ok: false, reason: "bad_refresh_token", status: 200 });
    const wrongSecret = await refreshUserToken(github, {
      ...client,
      clientSecret: "nope",
      refreshToken: SECRET_REFRESH,
    });
    expect(wrongSecret).toMatchObject({ ok: false, reason: "incorrect_client_credentials" });
    const code = await exchangeWebFlowCode(github, {
      ...client,
      code: "0123456789abcdef0123",
      codeVerifier: "v".repeat(43),
      redirectUri: "http://127.0.0.1/cb",
    });
    expect(code).toMatchObject({ ok: false, reason: "bad_verification_code" });
    for (const failure of [refreshed, wrongSecret, code]) {
      const text = JSON.stringify(failure);
      expect(text).not.toContain(SECRET_REFRESH);
      expect(text).not.toContain(env.GITHUB_CLIENT_SECRET);
    }
  });

  it("an unknown OAuth error keeps its code; a 200 without a token is not a success", async () => {
    await sim.injectFault({
      path: "/login/oauth/access_token",
      status: 200,
      body: { error: "brand_new_error" },
    });
    expect(await requestOAuthToken(github, { client_id: "x" })).toMatchObject({
      ok: false,
      reason: "oauth_error",
      oauthError: "brand_new_error",
    });
    await sim.injectFault({ path: "/login/oauth/access_token", status: 200, body: { token_type: "bearer" } });
    expect(await requestOAuthToken(github, { client_id: "x" })).toMatchObject({
      ok: false,
      reason: "github_unavailable",
    });
  });

  it("the device flow: start, pending, slow_down with the interval grown by 5 s", async () => {
    const started = await startDeviceFlow(github, { clientId: client.clientId });
    expect(started).toMatchObject({ ok: true, device: { intervalSeconds: 5, expiresInSeconds: 899 } });
    if (!started.ok) return;
    const input = { clientId: client.clientId, deviceCode: started.device.deviceCode };
    expect(await pollDeviceFlow(github, input)).toMatchObject({
      reason: "authorization_pending",
      intervalSeconds: 5,
    });
    expect(await pollDeviceFlow(github, input)).toMatchObject({ reason: "slow_down", intervalSeconds: 10 });
    expect(await pollDeviceFlow(github, { ...input, intervalSeconds: 10 })).toMatchObject({
      reason: "slow_down",
      intervalSeconds: 15,
    });
    expect(await pollDeviceFlow(github, { ...input, deviceCode: "f".repeat(40) })).toMatchObject({
      reason: "incorrect_device_code",
    });
  });
});

describe("the request layer", () => {
  it("turns a timeout, a dropped connection and a non-JSON answer into github_unavailable with a retry", async () => {
    await sim.setLatency({ path: "/user", delayMs: 600 });
    const slow = await getAuthenticatedUser({ ...github, timeoutMs: 150 }, "ghu_whatever");
    expect(slow).toMatchObject({
      ok: false,
      reason: "github_unavailable",
      message: "GitHub did not answer in time",
    });
    await sim.clearLatency();
    await sim.injectFault({ path: "/user", kind: "network" });
    expect(await getAuthenticatedUser(github, "ghu_whatever")).toMatchObject({
      ok: false,
      reason: "github_unavailable",
      retryAfterSeconds: 5,
    });
    await sim.injectFault({ path: "/user", status: 200, body: "<html>proxy error</html>" });
    expect(await getAuthenticatedUser(github, "ghu_whatever")).toMatchObject({
      ok: false,
      reason: "github_unavailable",
    });
    await sim.injectFault({ path: "/user", status: 200, body: { login: "no-id" } });
    expect(await getAuthenticatedUser(github, "ghu_whatever")).toMatchObject({
      ok: false,
      reason: "github_unavailable",
    });
  });

  it("a rate-limited answer carries the wait; revocation without a live token is not_found", async () => {
    await sim.injectFault({ path: "/user", kind: "rate_limit", retryAfter: 1234 });
    const limited = await getAuthenticatedUser(github, "ghu_whatever");
    expect(limited).toMatchObject({ ok: false, reason: "rate_limited" });
    expect(limited.ok ? 0 : limited.retryAfterSeconds).toBeGreaterThan(1200);
    expect(await getAuthenticatedUser(github, "ghu_whatever")).toMatchObject({ reason: "unauthorized" });
    expect(await revokeGrant(github, { ...client, accessToken: `ghu_${"z".repeat(36)}` })).toMatchObject({
      ok: false,
      reason: "not_found",
    });
  });

  it("the octokit calls under faults: a 500, a timeout and a dropped connection on a refresh quote nothing sent", async () => {
    // octokit's RequestError carries the request, form included (the refresh token, the client secret):
    // what comes back is GitHub's status and our message only.
    const spend = () =>
      refreshUserToken({ ...github, timeoutMs: 150 }, { ...client, refreshToken: SECRET_REFRESH });
    await sim.injectFault({ path: "/login/oauth/access_token", status: 500 });
    const failed = await spend();
    expect(failed).toMatchObject({ ok: false, reason: "github_unavailable", status: 500 });
    await sim.clearFaults();
    await sim.setLatency({ path: "/login/oauth/access_token", delayMs: 600 });
    const slow = await spend();
    expect(slow).toMatchObject({
      ok: false,
      reason: "github_unavailable",
      message: "GitHub did not answer in time",
    });
    await sim.clearLatency();
    await sim.injectFault({ path: "/login/oauth/access_token", kind: "network" });
    const dropped = await spend();
    expect(dropped).toMatchObject({ ok: false, reason: "github_unavailable", retryAfterSeconds: 5 });
    await sim.clearFaults();
    const revoked = await revokeGrant(github, { ...client, accessToken: SECRET_REFRESH });
    for (const failure of [failed, slow, dropped, revoked]) {
      const text = JSON.stringify(failure);
      expect(text).not.toContain(SECRET_REFRESH);
      expect(text).not.toContain(env.GITHUB_CLIENT_SECRET);
      expect(text).not.toMatch(/client_secret|refresh_token|authorization/i);
    }
  });
});
