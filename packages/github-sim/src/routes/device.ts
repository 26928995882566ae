/**
 * The device flow: `POST /login/device/code`, the activation pages (`GET`/`POST /login/device`,
 * `POST /login/device/confirm`) and polling of `POST /login/oauth/access_token` with
 * `grant_type=urn:ietf:params:oauth:grant-type:device_code`.
 *
 * Polling: faster than the interval -> `slow_down` with the interval raised by 5 s for this device code
 * from then on; `authorization_pending` until the person acts; `access_denied`; `expired_token` after
 * 15 minutes; `incorrect_device_code` for unknown codes and for codes that already yielded their token.
 */
import type { Hono } from "hono";
import { isExpired } from "../clock.ts";
import { bases, type SimEnv } from "../context.ts";
import { readParams } from "../http.ts";
import { ensureGrant, issueUserTokens, REFRESH_TOKEN_SECONDS, USER_TOKEN_SECONDS } from "../issue.ts";
import { oauthAnswer, oauthError } from "../oauth-format.ts";
import { deviceConfirmPage, deviceDonePage, deviceEntryPage, errorPage, signInPage } from "../pages.ts";
import type { SimStore } from "../state.ts";
import { deviceCode, userCode } from "../tokens.ts";
import type { SimApp, SimDeviceAuth } from "../types.ts";

/** Lifetime of a device code: 15 minutes. */
export const DEVICE_CODE_SECONDS = 900;
/** Initial polling interval. */
export const DEVICE_INTERVAL_SECONDS = 5;

/** Normalizes what a person types (`wdjbmjht` -> `WDJB-MJHT`). */
export function normalizeUserCode(input: string): string {
  const raw = input.toUpperCase().replace(/[^A-Z0-9]/g, "");
  return raw.length === 8 ? `${raw.slice(0, 4)}-${raw.slice(4)}` : input.toUpperCase().trim();
}

/** The pending, unexpired device authorization with this user code. */
export function findPendingByUserCode(store: SimStore, code: string): SimDeviceAuth | undefined {
  const wanted = normalizeUserCode(code);
  return store.devices.find(
    (d) => d.userCode === wanted && d.status === "pending" && !isExpired(store.clock, d.expiresAt),
  );
}

/** Records the person's decision on a device authorization. */
export function decideDevice(store: SimStore, device: SimDeviceAuth, userId: number, approve: boolean): void {
  if (approve) ensureGrant(store, device.appId, userId);
  store.devices.set(device.deviceCode, { ...device, status: approve ? "approved" : "denied", userId });
}

/** One poll of the token endpoint with a device code. */
export function pollDeviceCode(
  store: SimStore,
  app: SimApp,
  p: Record<string, string>,
): Record<string, string | number> {
  if (!app.deviceFlowEnabled) return oauthError("device_flow_disabled");
  const device = p.device_code ? store.devices.get(p.device_code) : undefined;
  if (!device || device.appId !== app.id || device.status === "consumed")
    return oauthError("incorrect_device_code");
  if (isExpired(store.clock, device.expiresAt)) return oauthError("expired_token");
  const now = store.clock.nowMs();
  const tooSoon = device.lastPollAt !== null && now - Date.parse(device.lastPollAt) < device.interval * 1000;
  const polled = { ...device, lastPollAt: new Date(now).toISOString() };
  if (tooSoon) {
    const interval = device.interval + 5;
    store.devices.set(device.deviceCode, { ...polled, interval });
    return oauthError("slow_down", { interval });
  }
  if (device.status === "pending") {
    store.devices.set(device.deviceCode, polled);
    return oauthError("authorization_pending");
  }
  if (device.status === "denied" || device.userId === null) {
    store.devices.set(device.deviceCode, polled);
    return oauthError("access_denied");
  }
  store.devices.set(device.deviceCode, { ...polled, status: "consumed" });
  const { access, refresh } = issueUserTokens(store, app, device.userId, "device");
  if (!refresh) return { access_token: access.token, scope: "", token_type: "bearer" };
  return {
    access_token: access.token,
    expires_in: USER_TOKEN_SECONDS,
    refresh_token: refresh.token,
    refresh_token_expires_in: REFRESH_TOKEN_SECONDS,
    scope: "",
    token_type: "bearer",
  };
}

function signedIn(store: SimStore) {
  const login = store.settings.signedInLogin;
  return login ? store.accountByLogin(login) : undefined;
}

/** Registers the routes on `app`. */
export function registerDeviceRoutes(app: Hono<SimEnv>): void {
  app.post("/login/device/code", async (c) => {
    const store = c.env.store;
    const p = await readParams(c.req.raw);
    const client = p.client_id ? store.appByClientId(p.client_id) : undefined;
    if (!client) return oauthAnswer(c.req.raw, oauthError("incorrect_client_credentials"));
    if (!client.deviceFlowEnabled) return oauthAnswer(c.req.raw, oauthError("device_flow_disabled"));
    const device: SimDeviceAuth = {
      deviceCode: deviceCode(),
      userCode: userCode(),
      appId: client.id,
      expiresAt: store.clock.iso(DEVICE_CODE_SECONDS),
      interval: DEVICE_INTERVAL_SECONDS,
      lastPollAt: null,
      status: "pending",
      userId: null,
    };
    store.devices.set(device.deviceCode, device);
    return oauthAnswer(c.req.raw, {
      device_code: device.deviceCode,
      user_code: device.userCode,
      verification_uri: `${bases(c).web}/login/device`,
      expires_in: DEVICE_CODE_SECONDS - 1,
      interval: DEVICE_INTERVAL_SECONDS,
    });
  });

  app.get("/login/device", (c) => {
    const store = c.env.store;
    const user = signedIn(store);
    if (!user)
      return signInPage(
        "/login/device",
        store.accounts.filter((a) => a.type === "User"),
        {},
      );
    return deviceEntryPage(user, null);
  });

  app.post("/login/device", async (c) => {
    const store = c.env.store;
    const p = await readParams(c.req.raw);
    if (p.sim_action === "signin" && p.login) {
      const who = store.accountByLogin(p.login);
      if (who?.type === "User") store.updateSettings({ signedInLogin: who.login });
    }
    const user = signedIn(store);
    if (!user)
      return signInPage(
        "/login/device",
        store.accounts.filter((a) => a.type === "User"),
        {},
      );
    if (p.sim_action === "signin" || p.user_code === undefined) return deviceEntryPage(user, null);
    const device = findPendingByUserCode(store, p.user_code);
    if (!device)
      return deviceEntryPage(user, "Incorrect or expired code. Please check the code and try again.");
    const client = store.apps.get(device.appId);
    if (!client) return errorPage("Page not found", "The App is gone.", 404);
    return deviceConfirmPage(client, user, device.userCode);
  });

  app.post("/login/device/confirm", async (c) => {
    const store = c.env.store;
    const p = await readParams(c.req.raw);
    const user = signedIn(store);
    if (!user)
      return signInPage(
        "/login/device",
        store.accounts.filter((a) => a.type === "User"),
        {},
      );
    const device = p.user_code ? findPendingByUserCode(store, p.user_code) : undefined;
    if (!device)
      return deviceEntryPage(user, "Incorrect or expired code. Please check the code and try again.");
    const approve = p.sim_action === "approve";
    decideDevice(store, device, user.id, approve);
    return deviceDonePage(approve);
  });
}
