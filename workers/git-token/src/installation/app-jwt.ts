import { createAppJwt } from "@gitcred/github";
import type { AppConfig } from "../config.ts";

/** Reuse a JWT until this close to its expiry. */
const JWT_REUSE_MARGIN_SECONDS = 60;

const cache = new Map<string, { jwt: string; expiresAtSeconds: number }>();

/**
 * The App's JWT, signed once and reused for ~8 minutes (RS256 signing is the expensive part of a
 * cold installation-token request). Keyed by App id; the JWT is a credential and only lives in memory.
 */
export async function getAppJwt(app: AppConfig, now: number): Promise<string> {
  const cached = cache.get(app.appId);
  if (cached !== undefined && cached.expiresAtSeconds - JWT_REUSE_MARGIN_SECONDS > now / 1000)
    return cached.jwt;
  const signed = await createAppJwt(await app.privateKey, app.appId, now);
  cache.set(app.appId, signed);
  return signed.jwt;
}

/** Drops the cached JWT (GitHub refused it: sign a new one next time). */
export function forgetAppJwt(appId: string): void {
  cache.delete(appId);
}
