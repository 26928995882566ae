// Internal: the envelope format shared by encrypt, decrypt and rotation checks.
import { base64UrlDecode } from "./base64-url.ts";
import { DecryptError } from "./errors.ts";

export const ENVELOPE_VERSION = "v1";
export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
export const IV_BYTES = 12;
export const TAG_BYTES = 16;

export type Envelope = { keyId: string; iv: Uint8Array; ciphertext: Uint8Array };

/** Splits `v1.<keyId>.<iv>.<ciphertext>`; throws DecryptError("bad_format") without quoting the input. */
export function parseEnvelope(envelope: string): Envelope {
  const parts = typeof envelope === "string" ? envelope.split(".") : [];
  const [version, keyId, iv, ciphertext] = parts;
  if (
    parts.length !== 4 ||
    version !== ENVELOPE_VERSION ||
    keyId === undefined ||
    !KEY_ID_PATTERN.test(keyId)
  ) {
    throw new DecryptError("bad_format", "not a v1 secret envelope");
  }
  try {
    const ivBytes = base64UrlDecode(iv ?? "");
    const ciphertextBytes = base64UrlDecode(ciphertext ?? "");
    if (ivBytes.length !== IV_BYTES || ciphertextBytes.length < TAG_BYTES) throw new TypeError("length");
    return { keyId, iv: ivBytes, ciphertext: ciphertextBytes };
  } catch {
    throw new DecryptError("bad_format", `envelope for key "${keyId}" has a malformed iv or ciphertext`);
  }
}
