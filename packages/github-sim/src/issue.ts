/**
 * Issuing and revoking credentials: user access tokens (`ghu_`, 8 h) with refresh tokens (`ghr_`,
 * 6 months, single use), installation tokens (`ghs_`, 1 h), and the grants they hang off.
 */
import type { SimStore } from "./state.ts";
import { classicToken, statelessInstallationToken } from "./tokens.ts";
import type { Permissions, SimApp, SimGrant, SimInstallation, SimSettings, SimToken } from "./types.ts";

/** Lifetime of a user access token: 8 hours. */
export const USER_TOKEN_SECONDS = 28_800;
/** Lifetime of a refresh token: 6 months as GitHub counts it. */
export const REFRESH_TOKEN_SECONDS = 15_897_600;
/** Lifetime of an installation token: 1 hour. */
export const INSTALLATION_TOKEN_SECONDS = 3_600;

function baseToken(store: SimStore, token: string, kind: SimToken["kind"], appId: number): SimToken {
  return {
    token,
    kind,
    appId,
    userId: null,
    installationId: null,
    grantId: null,
    origin: null,
    createdAt: store.clock.iso(),
    expiresAt: null,
    revokedAt: null,
    revokedReason: null,
    pairedToken: null,
    permissions: null,
    repositoryIds: null,
    authorizationId: store.nextId("authorization"),
  };
}

/** The person's grant for the App, created when missing. */
export function ensureGrant(store: SimStore, appId: number, userId: number): SimGrant {
  const key = `${appId}:${userId}`;
  const existing = store.grants.get(key);
  if (existing) return existing;
  return store.grants.set(key, { id: store.nextId("grant"), appId, userId, createdAt: store.clock.iso() });
}

/** Issues a user access token (and a refresh token unless the App opted out of expiry). */
export function issueUserTokens(
  store: SimStore,
  app: SimApp,
  userId: number,
  origin: "web" | "device" | "refresh",
): { access: SimToken; refresh: SimToken | null } {
  const grant = ensureGrant(store, app.id, userId);
  const access: SimToken = {
    ...baseToken(store, classicToken("ghu"), "user", app.id),
    userId,
    grantId: grant.id,
    origin,
    expiresAt: app.expireUserTokens ? store.clock.iso(USER_TOKEN_SECONDS) : null,
  };
  store.tokens.set(access.token, access);
  if (!app.expireUserTokens) return { access, refresh: null };
  const refresh: SimToken = {
    ...baseToken(store, classicToken("ghr"), "refresh", app.id),
    userId,
    grantId: grant.id,
    // A device-flow grant keeps its origin through refreshes: it may refresh without a client secret.
    origin,
    expiresAt: store.clock.iso(REFRESH_TOKEN_SECONDS),
    pairedToken: access.token,
    authorizationId: access.authorizationId,
  };
  store.tokens.set(refresh.token, refresh);
  return { access, refresh };
}

/**
 * The request header that overrides GitHub's rollout of stateless installation tokens for one
 * `POST /app/installations/{id}/access_tokens` (GitHub changelog, 2026-05-15).
 */
export const STATELESS_HEADER = "x-github-stateless-s2s-token";

/**
 * The format one request asks for: `enabled` -> stateless, `disabled` -> classic; absent or any other
 * value (`true`, `1`, ...) is ignored as GitHub ignores it, leaving the configured format.
 */
export function requestedTokenFormat(header: string | undefined): "classic" | "stateless" | null {
  if (header === "enabled") return "stateless";
  if (header === "disabled") return "classic";
  return null;
}

/** Reads the start-up token format from a binding's text; anything unknown is classic. */
export function parseTokenFormat(value: unknown): SimSettings["tokenFormat"] {
  return value === "stateless" || value === "rollout" ? value : "classic";
}

/** Issues an installation token in the requested format, else the configured one. */
export function issueInstallationToken(
  store: SimStore,
  installation: SimInstallation,
  permissions: Permissions,
  repositoryIds: number[] | null,
  format: "classic" | "stateless" | null = null,
): SimToken {
  const expiresAtSeconds = store.clock.nowSeconds() + INSTALLATION_TOKEN_SECONDS;
  const configured = store.settings.tokenFormat;
  // `rollout`: every other token is stateless, counted so a run is the same every time.
  const rolled =
    configured === "rollout" ? (store.nextId("rollout") % 2 === 0 ? "stateless" : "classic") : configured;
  const token =
    (format ?? rolled) === "stateless"
      ? statelessInstallationToken({
          installationId: installation.id,
          appId: installation.appId,
          issuedAtSeconds: store.clock.nowSeconds(),
          expiresAtSeconds,
        })
      : classicToken("ghs");
  const record: SimToken = {
    ...baseToken(store, token, "installation", installation.appId),
    installationId: installation.id,
    expiresAt: store.clock.iso(INSTALLATION_TOKEN_SECONDS),
    permissions,
    repositoryIds,
  };
  return store.tokens.set(token, record);
}

/** Revokes one token (no-op when already revoked). */
export function revokeToken(store: SimStore, token: SimToken, reason: string): void {
  if (token.revokedAt) return;
  store.tokens.set(token.token, { ...token, revokedAt: store.clock.iso(), revokedReason: reason });
}

/** Deletes the person's grant for the App and revokes every token issued under it. */
export function revokeGrant(store: SimStore, appId: number, userId: number, reason: string): boolean {
  const grant = store.grants.get(`${appId}:${userId}`);
  if (!grant) return false;
  store.grants.delete(`${appId}:${userId}`);
  for (const t of store.tokens.filter((t) => t.grantId === grant.id && t.appId === appId)) {
    revokeToken(store, t, reason);
  }
  return true;
}

/** Revokes every live token of an installation (on delete). */
export function revokeInstallationTokens(store: SimStore, installationId: number, reason: string): void {
  for (const t of store.tokens.filter((t) => t.installationId === installationId))
    revokeToken(store, t, reason);
}
