// Key names (camelCase folded to snake_case, `-` to `_`) whose value is a secret whatever it looks like.
const SECRET_KEYS = new Set([
  "access_token",
  "refresh_token",
  "id_token",
  "token",
  "client_secret",
  "secret",
  "code",
  "device_code",
  "code_verifier",
  "state",
  "password",
  "passwd",
  "private_key",
  "authorization",
  "proxy_authorization",
  "cookie",
  "set_cookie",
  "client_assertion",
  "x_access_token",
  "api_key",
]);

// Names ending like this are secrets too (`installation_token`, `webhook_secret`, `app_private_key`);
// `*_enc` (ciphertext envelopes) does not end like this and is deliberately kept.
const SECRET_SUFFIX = /_(?:token|secret|password|private_key|authorization)$/;

function normalizeKey(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/-/g, "_")
    .toLowerCase();
}

/** Whether a field named `key` holds a secret (`refreshToken`, `Authorization`, `webhook_secret`, ...). */
export function isSecretKey(key: string): boolean {
  const normalized = normalizeKey(key);
  return SECRET_KEYS.has(normalized) || SECRET_SUFFIX.test(normalized);
}
