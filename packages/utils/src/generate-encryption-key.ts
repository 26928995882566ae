import { base64Encode } from "./base64-url.ts";
import { KEY_ID_PATTERN } from "./envelope.ts";

/**
 * A fresh `<keyId>:<base64 of 32 random bytes>` entry for TOKEN_ENCRYPTION_KEYS (dev setup, key
 * rotation: prepend it). Key material comes only from the CSPRNG.
 */
export async function generateEncryptionKey(keyId: string): Promise<string> {
  if (!KEY_ID_PATTERN.test(keyId))
    throw new TypeError("generateEncryptionKey: keyId must match [A-Za-z0-9_-]{1,32}");
  return `${keyId}:${base64Encode(crypto.getRandomValues(new Uint8Array(32)))}`;
}
