export { awaitShared } from "./await-shared.ts";
export { base64Decode, base64Encode, base64UrlDecode, base64UrlEncode } from "./base64-url.ts";
export { createLogger } from "./create-logger.ts";
export { decryptSecret } from "./decrypt-secret.ts";
export { encryptSecret } from "./encrypt-secret.ts";
export { errorFields } from "./error-fields.ts";
export { ConfigError, DecryptError, type DecryptErrorCode } from "./errors.ts";
export { generateEncryptionKey } from "./generate-encryption-key.ts";
export { isEncryptedWithPrimaryKey } from "./is-encrypted-with-primary-key.ts";
export { consoleSink, isLogLevelEnabled, setLogLevel, setLogSink } from "./logger.ts";
export { parseEncryptionKeys } from "./parse-encryption-keys.ts";
export { parseInput } from "./parse-input.ts";
export { randomToken } from "./random-token.ts";
export { REDACTED, redact } from "./redact.ts";
export { type RedactValueOptions, redactValue } from "./redact-value.ts";
export { reencryptSecret } from "./reencrypt-secret.ts";
export { githubOwnerSchema, githubRepoNameSchema, sessionIdSchema, userIdSchema } from "./schemas.ts";
export { secretAad } from "./secret-aad.ts";
export { sha256Hex } from "./sha256-hex.ts";
export { shareInFlight } from "./share-in-flight.ts";
export { timingSafeEqual } from "./timing-safe-equal.ts";
export type {
  ErrorFields,
  Failure,
  Keyring,
  LogFields,
  Logger,
  LogLevel,
  LogSink,
  Ok,
  ParseInputResult,
  Result,
} from "./types.ts";
