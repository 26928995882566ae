/**
 * The OAuth web flow on "github.com": the authorize page (`GET`/`POST /login/oauth/authorize`) and
 * the token endpoint (`POST /login/oauth/access_token`) for the `authorization_code`, `refresh_token`
 * and device-code grants.
 */
import type { Hono } from "hono";
import { isExpired } from "../clock.ts";
import type { SimEnv } from "../context.ts";
import { readParams } from "../http.ts";
import {
  ensureGrant,
  issueUserTokens,
  REFRESH_TOKEN_SECONDS,
  revokeToken,
  USER_TOKEN_SECONDS,
} from "../issue.ts";
import { oauthAnswer, oauthError } from "../oauth-format.ts";
import { authorizePage, errorPage, signInPage } from "../pages.ts";
import type { SimStore } from "../state.ts";
import { oauthCode, sha256Base64url } from "../tokens.ts";
import type { SimAccount, SimApp, SimToken } from "../types.ts";
import { pollDeviceCode } from "./device.ts";

const AUTH_ERRORS =
  "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors";

/** Lifetime of an authorization code: 10 minutes. */
export const CODE_SECONDS = 600;

/** Parameters of the authorize request that travel through the page's forms. */
const CARRIED = [
  "client_id",
  "redirect_uri",
  "state",
  "scope",
  "login",
  "allow_signup",
  "prompt",
  "code_challenge",
  "code_challenge_method",
];

function isLoopback(u: URL): boolean {
  return u.hostname === "127.0.0.1" || u.hostname === "localhost" || u.hostname === "[::1]";
}

/** Whether `redirectUri` is acceptable for `app` (exact match; loopback callbacks ignore the port). */
export function redirectAllowed(app: SimApp, redirectUri: string): boolean {
  if (app.callbackUrls.length === 0) return true;
  let wanted: URL;
  try {
    wanted = new URL(redirectUri);
  } catch {
    return false;
  }
  return app.callbackUrls.some((cb) => {
    if (cb === redirectUri) return true;
    try {
      const u = new URL(cb);
      return (
        isLoopback(u) &&
        isLoopback(wanted) &&
        u.hostname === wanted.hostname &&
        u.pathname === wanted.pathname &&
        u.protocol === wanted.protocol
      );
    } catch {
      return false;
    }
  });
}

function redirectWith(target: string, params: Record<string, string | undefined>): Response {
  const url = new URL(target);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return new Response(null, { status: 302, headers: { location: url.toString() } });
}

function carried(params: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of CARRIED) if (params[k] !== undefined) out[k] = params[k];
  return out;
}

function people(store: SimStore): SimAccount[] {
  return store.accounts.filter((a) => a.type === "User");
}

/** Issues a code and redirects back to the App. */
function approve(
  store: SimStore,
  app: SimApp,
  user: SimAccount,
  redirect: string,
  params: Record<string, string>,
): Response {
  ensureGrant(store, app.id, user.id);
  const code = oauthCode();
  store.codes.set(code, {
    code,
    appId: app.id,
    userId: user.id,
    redirectUri: redirect,
    codeChallenge: params.code_challenge ?? null,
    expiresAt: store.clock.iso(CODE_SECONDS),
    usedAt: null,
  });
  return redirectWith(redirect, { code, state: params.state });
}

function deny(redirect: string, state: string | undefined): Response {
  return redirectWith(redirect, {
    error: "access_denied",
    error_description: "The user has denied your application access.",
    error_uri: `${AUTH_ERRORS}/#access-denied`,
    state,
  });
}

/** The shared part of GET and POST /login/oauth/authorize. */
function authorize(store: SimStore, params: Record<string, string>, action: string | null): Response {
  const app = params.client_id ? store.appByClientId(params.client_id) : undefined;
  if (!app) return errorPage("Page not found", "No GitHub App has this client_id.", 404);
  const redirect = params.redirect_uri ?? app.callbackUrls[0];
  if (!redirect)
    return errorPage("Missing redirect_uri", "The App has no callback URL and none was given.", 400);
  if (params.redirect_uri !== undefined && !redirectAllowed(app, params.redirect_uri)) {
    const fallback = app.callbackUrls[0];
    if (!fallback) return errorPage("Redirect URI mismatch", "The redirect_uri is not valid.", 400);
    return redirectWith(fallback, {
      error: "redirect_uri_mismatch",
      error_description: "The redirect_uri MUST match the registered callback URL for this application.",
      error_uri: `${AUTH_ERRORS}/#redirect-uri-mismatch`,
      state: params.state,
    });
  }
  if (params.code_challenge !== undefined && (params.code_challenge_method ?? "plain") !== "S256") {
    return errorPage("Invalid request", "code_challenge_method must be S256.", 400);
  }
  if (action === "signin" && params.login_as) {
    const who = store.accountByLogin(params.login_as);
    if (who?.type === "User") store.updateSettings({ signedInLogin: who.login });
  }
  const user = store.settings.signedInLogin ? store.accountByLogin(store.settings.signedInLogin) : undefined;
  if (!user) return signInPage("/login/oauth/authorize", people(store), carried(params));
  // `prompt=select_account` shows GitHub's account picker even to a signed-in person (GitHub changelog
  // 2024-06-07). With autoApprove on, the simulated person decides at once, picker included.
  if (params.prompt === "select_account" && action === null && store.settings.autoApprove === "off")
    return signInPage("/login/oauth/authorize", people(store), carried(params), user.login);
  if (action === "approve") return approve(store, app, user, redirect, params);
  if (action === "deny") return deny(redirect, params.state);
  const auto = store.settings.autoApprove;
  if (auto === "deny") return deny(redirect, params.state);
  // GitHub skips the page when the person already authorized the App (unless prompt asks otherwise).
  const alreadyAuthorized =
    store.grants.get(`${app.id}:${user.id}`) !== undefined && params.prompt !== "consent";
  if (auto === "approve" || alreadyAuthorized) return approve(store, app, user, redirect, params);
  return authorizePage(app, user, redirect, carried(params));
}

function tokenBody(access: SimToken, refresh: SimToken | null): Record<string, string | number> {
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

/** `grant_type=authorization_code`. */
function exchangeCode(
  store: SimStore,
  app: SimApp,
  p: Record<string, string>,
  verifierS256: string | null,
): Record<string, string | number> {
  if (p.client_secret !== app.clientSecret) return oauthError("incorrect_client_credentials");
  const code = p.code ? store.codes.get(p.code) : undefined;
  if (!code || code.appId !== app.id || code.usedAt !== null || isExpired(store.clock, code.expiresAt)) {
    return oauthError("bad_verification_code");
  }
  if (p.redirect_uri !== undefined && p.redirect_uri !== code.redirectUri)
    return oauthError("redirect_uri_mismatch");
  if (code.codeChallenge !== null && verifierS256 !== code.codeChallenge) {
    return oauthError("bad_verification_code");
  }
  store.codes.set(code.code, { ...code, usedAt: store.clock.iso() });
  const { access, refresh } = issueUserTokens(store, app, code.userId, "web");
  return tokenBody(access, refresh);
}

/** `grant_type=refresh_token`: single use; using it kills it and the access token issued with it. */
function refresh(store: SimStore, app: SimApp, p: Record<string, string>): Record<string, string | number> {
  const old = p.refresh_token ? store.tokens.get(p.refresh_token) : undefined;
  const secretOk = p.client_secret === app.clientSecret;
  // Tokens from the device flow may be refreshed without the secret (a wrong one still fails).
  if (!secretOk && !(old?.origin === "device" && p.client_secret === undefined)) {
    return oauthError("incorrect_client_credentials");
  }
  if (
    old?.kind !== "refresh" ||
    old.appId !== app.id ||
    old.revokedAt !== null ||
    isExpired(store.clock, old.expiresAt) ||
    old.userId === null ||
    !store.grants.get(`${app.id}:${old.userId}`)
  ) {
    return oauthError("bad_refresh_token");
  }
  revokeToken(store, old, "refresh token used");
  const paired = old.pairedToken ? store.tokens.get(old.pairedToken) : undefined;
  if (paired) revokeToken(store, paired, "refreshed");
  const { access, refresh: next } = issueUserTokens(
    store,
    app,
    old.userId,
    old.origin === "device" ? "device" : "refresh",
  );
  return tokenBody(access, next);
}

/** Registers the routes on `app`. */
export function registerOAuthRoutes(app: Hono<SimEnv>): void {
  app.get("/login/oauth/authorize", (c) => {
    const params = Object.fromEntries(new URL(c.req.url).searchParams);
    return authorize(c.env.store, params, null);
  });

  app.post("/login/oauth/authorize", async (c) => {
    const params = await readParams(c.req.raw);
    const action = params.sim_action ?? null;
    if (action === "signin" && params.login) params.login_as = params.login;
    return authorize(c.env.store, params, action);
  });

  app.post("/login/oauth/access_token", async (c) => {
    const store = c.env.store;
    const p = await readParams(c.req.raw);
    // Hash first: everything after this line is synchronous, so one code or refresh token is used once.
    const verifierS256 = p.code_verifier ? await sha256Base64url(p.code_verifier) : null;
    const client = p.client_id ? store.appByClientId(p.client_id) : undefined;
    const grantType =
      p.grant_type ?? (p.device_code ? "urn:ietf:params:oauth:grant-type:device_code" : "authorization_code");
    let body: Record<string, string | number>;
    if (!client) body = oauthError("incorrect_client_credentials");
    else if (grantType === "authorization_code") body = exchangeCode(store, client, p, verifierS256);
    else if (grantType === "refresh_token") body = refresh(store, client, p);
    else if (grantType === "urn:ietf:params:oauth:grant-type:device_code")
      body = pollDeviceCode(store, client, p);
    else body = oauthError("unsupported_grant_type");
    return oauthAnswer(c.req.raw, body);
  });
}
