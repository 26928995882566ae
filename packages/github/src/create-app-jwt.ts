import { base64UrlEncode } from "@gitcred/utils";

const encoder = new TextEncoder();

/** How far back `iat` is set, to absorb clock drift between us and GitHub (GitHub's advice: 60 s). */
const CLOCK_DRIFT_SECONDS = 60;
/** Lifetime of a JWT; GitHub accepts at most 10 minutes. */
export const APP_JWT_LIFETIME_SECONDS = 540;

/**
 * Signs the App's JWT (RS256 through WebCrypto) that authenticates `/app/...` calls: `iss` is the App
 * id, `iat` one minute in the past, `exp` nine minutes ahead (GitHub refuses more than ten). Callers
 * reuse it until shortly before `expiresAtSeconds`.
 */
export async function createAppJwt(
  privateKey: CryptoKey,
  appId: string,
  nowMs: number = Date.now(),
): Promise<{ jwt: string; expiresAtSeconds: number }> {
  const now = Math.floor(nowMs / 1000);
  const header = base64UrlEncode(encoder.encode(JSON.stringify({ alg: "RS256", typ: "JWT" })));
  const expiresAtSeconds = now + APP_JWT_LIFETIME_SECONDS;
  const payload = base64UrlEncode(
    encoder.encode(JSON.stringify({ iat: now - CLOCK_DRIFT_SECONDS, exp: expiresAtSeconds, iss: appId })),
  );
  const signature = await crypto.subtle.sign(
    "RSASSA-PKCS1-v1_5",
    privateKey,
    encoder.encode(`${header}.${payload}`),
  );
  return { jwt: `${header}.${payload}.${base64UrlEncode(signature)}`, expiresAtSeconds };
}
