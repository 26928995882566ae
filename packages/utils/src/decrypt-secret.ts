import { parseEnvelope } from "./envelope.ts";
import { DecryptError } from "./errors.ts";
import type { Keyring } from "./types.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * Decrypts an envelope written by `encryptSecret` with the key it names (every configured key
 * decrypts, so rotation never strands old rows) and the same AAD it was written with. Throws
 * DecryptError (`bad_format`, `unknown_key`, `auth_failed`) whose message holds no secret: callers
 * may log it, and should treat the row as needing a reconnect rather than retry.
 */
export async function decryptSecret(keyring: Keyring, envelope: string, aad: string): Promise<string> {
  const { keyId, iv, ciphertext } = parseEnvelope(envelope);
  const key = keyring.keys.get(keyId);
  if (key === undefined) {
    throw new DecryptError(
      "unknown_key",
      `secret was encrypted with key "${keyId}", which is not configured`,
    );
  }
  try {
    const plaintext = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv, additionalData: encoder.encode(aad), tagLength: 128 },
      key,
      ciphertext,
    );
    return decoder.decode(plaintext);
  } catch {
    throw new DecryptError(
      "auth_failed",
      `secret did not authenticate with key "${keyId}": wrong AAD (row, column, owner) or tampered ciphertext`,
    );
  }
}
