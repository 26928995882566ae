import { base64UrlEncode } from "./base64-url.ts";
import { ENVELOPE_VERSION, IV_BYTES } from "./envelope.ts";
import type { Keyring } from "./types.ts";

const encoder = new TextEncoder();

/**
 * Encrypts a secret for storage (DESIGN.md invariant 1) with the keyring's first key: AES-256-GCM,
 * a fresh random 96-bit IV per call, and `aad` (build it with `secretAad`) authenticated but not
 * stored, so a ciphertext copied to another row or column does not decrypt. Returns
 * `v1.<keyId>.<iv b64url>.<ciphertext+tag b64url>`. An empty AAD is refused: it would bind nothing.
 */
export async function encryptSecret(keyring: Keyring, plaintext: string, aad: string): Promise<string> {
  if (typeof plaintext !== "string") throw new TypeError("encryptSecret: plaintext must be a string");
  if (typeof aad !== "string" || aad === "")
    throw new TypeError("encryptSecret: aad must be a non-empty string");
  const key = keyring.keys.get(keyring.primaryKeyId);
  if (key === undefined) throw new TypeError("encryptSecret: keyring has no primary key");
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ciphertext = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encoder.encode(aad), tagLength: 128 },
    key,
    encoder.encode(plaintext),
  );
  return `${ENVELOPE_VERSION}.${keyring.primaryKeyId}.${base64UrlEncode(iv)}.${base64UrlEncode(ciphertext)}`;
}
