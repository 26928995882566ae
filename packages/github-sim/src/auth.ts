/**
 * Who is calling: resolves the `Authorization` header of a REST request to a principal, the way
 * GitHub accepts it (`Bearer` or `token` for tokens and JWTs, `Basic` for client id + secret).
 */
import { isExpired } from "./clock.ts";
import { looksLikeJwt, verifyAppJwt } from "./jwt.ts";
import type { SimStore } from "./state.ts";
import type { SimAccount, SimApp, SimInstallation, SimToken } from "./types.ts";

/** The caller of a REST request. */
export type Principal =
  | { kind: "none" }
  | { kind: "invalid"; message: string }
  | { kind: "app"; app: SimApp }
  | { kind: "installation"; token: SimToken; installation: SimInstallation; app: SimApp }
  | { kind: "suspended"; token: SimToken; installation: SimInstallation }
  | { kind: "user"; token: SimToken; user: SimAccount; app: SimApp }
  | { kind: "basic"; username: string; password: string };

/** Splits an `Authorization` header into scheme and credential. */
export function parseAuthorization(header: string | null): { scheme: string; credential: string } | null {
  if (!header) return null;
  const m = /^\s*(\S+)\s+(.+?)\s*$/.exec(header);
  if (!m?.[1] || !m[2]) return null;
  return { scheme: m[1].toLowerCase(), credential: m[2] };
}

/** Whether a stored token can be used now (not revoked, not expired). */
export function tokenIsLive(store: SimStore, token: SimToken): boolean {
  return token.revokedAt === null && !isExpired(store.clock, token.expiresAt);
}

/** Resolves a token string to a principal (user or installation), or an invalid one. */
export function principalForToken(store: SimStore, tokenString: string): Principal {
  const token = store.tokens.get(tokenString);
  if (!token || !tokenIsLive(store, token)) return { kind: "invalid", message: "Bad credentials" };
  const app = store.apps.get(token.appId);
  if (!app) return { kind: "invalid", message: "Bad credentials" };
  if (token.kind === "installation") {
    const installation =
      token.installationId === null ? undefined : store.installations.get(token.installationId);
    if (!installation) return { kind: "invalid", message: "Bad credentials" };
    if (installation.suspendedAt) return { kind: "suspended", token, installation };
    return { kind: "installation", token, installation, app };
  }
  if (token.kind === "user" && token.userId !== null) {
    const user = store.accounts.get(token.userId);
    const grant = store.grants.get(`${token.appId}:${token.userId}`);
    if (!user || !grant || grant.id !== token.grantId) return { kind: "invalid", message: "Bad credentials" };
    return { kind: "user", token, user, app };
  }
  return { kind: "invalid", message: "Bad credentials" };
}

/** Resolves the request's `Authorization` header. */
export async function resolvePrincipal(store: SimStore, header: string | null): Promise<Principal> {
  const parsed = parseAuthorization(header);
  if (!parsed) return { kind: "none" };
  if (parsed.scheme === "basic") {
    let decoded: string;
    try {
      decoded = atob(parsed.credential);
    } catch {
      return { kind: "invalid", message: "Bad credentials" };
    }
    const i = decoded.indexOf(":");
    if (i < 0) return { kind: "invalid", message: "Bad credentials" };
    return { kind: "basic", username: decoded.slice(0, i), password: decoded.slice(i + 1) };
  }
  if (parsed.scheme !== "bearer" && parsed.scheme !== "token")
    return { kind: "invalid", message: "Bad credentials" };
  if (looksLikeJwt(parsed.credential)) {
    const result = await verifyAppJwt(store, store.clock, parsed.credential);
    return result.ok ? { kind: "app", app: result.app } : { kind: "invalid", message: result.message };
  }
  return principalForToken(store, parsed.credential);
}

/**
 * The primary rate-limit bucket of a principal, as GitHub keys it: per user for user tokens (all of a
 * person's tokens share it), per installation for installation tokens, per App for JWTs, per client
 * address when unauthenticated.
 */
export function rateLimitBucket(principal: Principal, clientAddress: string): { key: string; label: string } {
  switch (principal.kind) {
    case "user":
      return { key: `user:${principal.user.id}`, label: `user ID ${principal.user.id}` };
    case "installation":
    case "suspended":
      return {
        key: `installation:${principal.installation.id}`,
        label: `installation ID ${principal.installation.id}`,
      };
    case "app":
      return { key: `app:${principal.app.id}`, label: `app ID ${principal.app.id}` };
    default:
      return { key: `ip:${clientAddress}`, label: clientAddress };
  }
}
