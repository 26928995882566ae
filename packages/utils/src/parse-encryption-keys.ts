import { base64Decode } from "./base64-url.ts";
import { KEY_ID_PATTERN } from "./envelope.ts";
import { ConfigError } from "./errors.ts";
import type { Keyring } from "./types.ts";

const FORMAT = "expected comma-separated <keyId>:<base64 of 32 bytes>, keyId of [A-Za-z0-9_-]{1,32}";

/**
 * Parses TOKEN_ENCRYPTION_KEYS (`<keyId>:<base64 of 32 bytes>`, comma-separated, newest first) into
 * non-extractable AES-256-GCM keys. Every problem throws a ConfigError naming the entry's position
 * or key id but never echoing an entry, since a malformed entry may still be key material.
 */
export async function parseEncryptionKeys(raw: string | undefined): Promise<Keyring> {
  if (raw === undefined || raw.trim() === "") {
    throw new ConfigError(`encryption keys are missing or empty: ${FORMAT}`);
  }
  const keys = new Map<string, CryptoKey>();
  const entries = raw.split(",");
  for (const [index, entry] of entries.entries()) {
    const position = `encryption key entry ${index + 1} of ${entries.length}`;
    const trimmed = entry.trim();
    if (trimmed === "") throw new ConfigError(`${position} is empty: ${FORMAT}`);
    const colon = trimmed.indexOf(":");
    if (colon < 0) throw new ConfigError(`${position} has no ":" between key id and key: ${FORMAT}`);
    const keyId = trimmed.slice(0, colon).trim();
    if (!KEY_ID_PATTERN.test(keyId)) throw new ConfigError(`${position} has an invalid key id: ${FORMAT}`);
    if (keys.has(keyId)) throw new ConfigError(`${position}: key id "${keyId}" appears more than once`);
    let material: Uint8Array;
    try {
      material = base64Decode(trimmed.slice(colon + 1).trim());
    } catch {
      throw new ConfigError(`${position}: key "${keyId}" is not valid base64`);
    }
    if (material.length !== 32) {
      throw new ConfigError(`${position}: key "${keyId}" must be 32 bytes (AES-256), got ${material.length}`);
    }
    const key = await crypto.subtle.importKey("raw", material, { name: "AES-GCM" }, false, [
      "encrypt",
      "decrypt",
    ]);
    material.fill(0);
    keys.set(keyId, key);
  }
  const keyIds = Object.freeze([...keys.keys()]);
  const primaryKeyId = keyIds[0];
  if (primaryKeyId === undefined) throw new ConfigError(`encryption keys are missing or empty: ${FORMAT}`);
  return Object.freeze({ primaryKeyId, keyIds, keys });
}
