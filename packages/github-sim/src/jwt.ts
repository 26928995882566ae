/**
 * App JWT verification, as GitHub does it: RS256 signed with the App's private key, `iss` = App id
 * (number or numeric string) or client id, `iat` not in the future (60 s of skew allowed), `exp` in the
 * future and at most 10 minutes after `iat` (and after now). The messages are GitHub's: @octokit/auth-app
 * matches on them to retry with a corrected clock.
 */
import type { SimClock } from "./clock.ts";
import type { SimStore } from "./state.ts";
import type { SimApp } from "./types.ts";

/** Result of verifying an App JWT. */
export type JwtResult = { ok: true; app: SimApp } | { ok: false; message: string };

/** GitHub's messages for JWT failures. */
export const JWT_MESSAGES = {
  undecodable: "A JSON web token could not be decoded",
  expTooFar: "'Expiration time' claim ('exp') is too far in the future",
  expPast:
    "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
  iatInvalid:
    "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued",
  issuerMissing: "'Issuer' claim ('iss') must be an Integer",
  integrationNotFound: "Integration not found",
} as const;

/** Seconds a JWT may claim to be issued in the future (clock skew GitHub tolerates). */
const IAT_SKEW_SECONDS = 60;
/** Longest lifetime GitHub accepts. */
const MAX_LIFETIME_SECONDS = 600;

function decodeSegment(segment: string): Uint8Array | null {
  try {
    const b64 = segment.replace(/-/g, "+").replace(/_/g, "/");
    const bin = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

function decodeJson(segment: string): Record<string, unknown> | null {
  const bytes = decodeSegment(segment);
  if (!bytes) return null;
  try {
    const v: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return v && typeof v === "object" ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Whether a bearer credential looks like a JWT (three base64url parts) rather than a `gh*_` token. */
export function looksLikeJwt(token: string): boolean {
  return !/^gh[a-z]_/.test(token) && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);
}

const keyCache = new Map<string, Promise<CryptoKey>>();

function importPublicKey(pem: string): Promise<CryptoKey> {
  let key = keyCache.get(pem);
  if (!key) {
    const b64 = pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
    const der = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    key = crypto.subtle.importKey("spki", der, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, [
      "verify",
    ]);
    keyCache.set(pem, key);
  }
  return key;
}

/**
 * Verifies an App JWT against the App named by its `iss`. Async (WebCrypto) but touches no state
 * after the lookup, so callers stay atomic when they mutate state after it returns.
 */
export async function verifyAppJwt(store: SimStore, clock: SimClock, jwt: string): Promise<JwtResult> {
  const [h, p, s] = jwt.split(".");
  if (!h || !p || !s) return { ok: false, message: JWT_MESSAGES.undecodable };
  const header = decodeJson(h);
  const payload = decodeJson(p);
  const signature = decodeSegment(s);
  if (!header || !payload || !signature || header.alg !== "RS256") {
    return { ok: false, message: JWT_MESSAGES.undecodable };
  }
  const iss = payload.iss;
  let app: SimApp | undefined;
  if (typeof iss === "number" || (typeof iss === "string" && /^\d+$/.test(iss))) {
    app = store.apps.get(Number(iss));
  } else if (typeof iss === "string" && iss !== "") {
    app = store.appByClientId(iss);
  } else {
    return { ok: false, message: JWT_MESSAGES.issuerMissing };
  }
  if (!app) return { ok: false, message: JWT_MESSAGES.integrationNotFound };
  let valid = false;
  try {
    const key = await importPublicKey(app.publicKeyPem);
    valid = await crypto.subtle.verify(
      "RSASSA-PKCS1-v1_5",
      key,
      signature,
      new TextEncoder().encode(`${h}.${p}`),
    );
  } catch {
    valid = false;
  }
  if (!valid) return { ok: false, message: JWT_MESSAGES.undecodable };
  const now = clock.nowSeconds();
  const { iat, exp } = payload;
  if (typeof iat !== "number" || !Number.isInteger(iat) || iat > now + IAT_SKEW_SECONDS) {
    return { ok: false, message: JWT_MESSAGES.iatInvalid };
  }
  if (typeof exp !== "number" || exp <= now) return { ok: false, message: JWT_MESSAGES.expPast };
  if (exp - iat > MAX_LIFETIME_SECONDS || exp > now + MAX_LIFETIME_SECONDS + IAT_SKEW_SECONDS) {
    return { ok: false, message: JWT_MESSAGES.expTooFar };
  }
  return { ok: true, app };
}
