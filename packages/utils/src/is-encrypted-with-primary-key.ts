import { parseEnvelope } from "./envelope.ts";
import type { Keyring } from "./types.ts";

/**
 * Whether an envelope already uses the keyring's first (newest) key; the rotate-keys command
 * re-encrypts only the rows where this is false. A malformed envelope is not "primary" (false).
 */
export function isEncryptedWithPrimaryKey(keyring: Keyring, envelope: string): boolean {
  try {
    return parseEnvelope(envelope).keyId === keyring.primaryKeyId;
  } catch {
    return false;
  }
}
