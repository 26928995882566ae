/**
 * Thrown when configuration (e.g. TOKEN_ENCRYPTION_KEYS) is missing or malformed. Its message names
 * the problem and the position or key id, never the key material itself, so it is safe to log.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Why an envelope did not decrypt; stable codes for callers and logs. */
export type DecryptErrorCode = "bad_format" | "unknown_key" | "auth_failed";

/**
 * Thrown when an envelope cannot be decrypted. The message never contains plaintext, key material
 * or the envelope itself; `code` tells a bad format from an unknown key from a failed authentication
 * (wrong key, wrong AAD, tampering).
 */
export class DecryptError extends Error {
  override readonly name = "DecryptError";
  readonly code: DecryptErrorCode;

  constructor(code: DecryptErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
