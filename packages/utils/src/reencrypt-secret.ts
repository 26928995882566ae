import { decryptSecret } from "./decrypt-secret.ts";
import { encryptSecret } from "./encrypt-secret.ts";
import { isEncryptedWithPrimaryKey } from "./is-encrypted-with-primary-key.ts";
import type { Keyring } from "./types.ts";

/**
 * Re-encrypts an envelope under the keyring's primary key (same AAD) for key rotation; returns it
 * unchanged when it already uses that key, so the rotate command can compare and skip the write.
 * The plaintext only lives inside this call.
 */
export async function reencryptSecret(keyring: Keyring, envelope: string, aad: string): Promise<string> {
  if (isEncryptedWithPrimaryKey(keyring, envelope)) {
    // Still authenticate it, so rotation never vouches for a row that would not decrypt.
    await decryptSecret(keyring, envelope, aad);
    return envelope;
  }
  return encryptSecret(keyring, await decryptSecret(keyring, envelope, aad), aad);
}
