import { base64UrlEncode } from "./base64-url.ts";

/**
 * A random base64url string from the platform CSPRNG, for OAuth state, PKCE verifiers, settings-link
 * ids and session secrets. 32 bytes (256 bits) by default: unguessable even when only its hash is kept.
 */
export function randomToken(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > 1024) {
    throw new RangeError("randomToken: bytes must be an integer from 1 to 1024");
  }
  return base64UrlEncode(crypto.getRandomValues(new Uint8Array(bytes)));
}
