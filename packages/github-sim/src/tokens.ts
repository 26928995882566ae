/**
 * Token and code formats as GitHub issues them.
 *
 * - Classic tokens: `<prefix>_` + 30 random base62 characters + a 6-character base62 CRC32 checksum of
 *   the random part (GitHub's published format; secret scanners check the checksum). `ghu_` and
 *   `ghs_` are 40 characters; `ghr_` refresh tokens are 80 (76 after the prefix, as in GitHub's docs).
 * - Stateless `ghs_` (GitHub, April 2026): `ghs_<appid>_<JWT>`, ~520 characters with `.`, `-` and `_`.
 * - OAuth codes: 20 hex characters. Device codes: 40 hex characters. User codes: `XXXX-XXXX`.
 */
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function randomChars(alphabet: string, length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length * 2));
  let out = "";
  for (let i = 0; out.length < length; i++) {
    const b = bytes[i % bytes.length]!;
    // Rejection sampling keeps the distribution uniform.
    if (b < Math.floor(256 / alphabet.length) * alphabet.length) out += alphabet[b % alphabet.length];
    if (i >= bytes.length - 1 && out.length < length) return out + randomChars(alphabet, length - out.length);
  }
  return out;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC32 (IEEE) of an ASCII string. */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) crc = CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function base62(n: number, width: number): string {
  let out = "";
  let v = n;
  while (v > 0) {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out.padStart(width, "0");
}

/** A classic GitHub token: `prefix_` + random + 6-char checksum; `length` counts everything. */
export function classicToken(prefix: "ghu" | "ghr" | "ghs", length = prefix === "ghr" ? 80 : 40): string {
  const random = randomChars(BASE62, length - prefix.length - 1 - 6);
  return `${prefix}_${random}${base62(crc32(random), 6)}`;
}

function base64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Claims carried (readably, as GitHub's do) by a stateless installation token. */
export interface StatelessClaims {
  installationId: number;
  appId: number;
  expiresAtSeconds: number;
  issuedAtSeconds: number;
}

/**
 * A stateless `ghs_` token as GitHub documents it (`ghs_APPID_JWT`, ~520 characters, two dots):
 * `ghs_<appId>_<header>.<payload>.<signature>`, the JWT in base64url (so `-` and `_` occur too; GitHub's
 * suggested `ghs_[A-Za-z0-9\._]{36,}` would miss the `-`, which is why gitcred's own checks allow it).
 * The simulator still records it, so revocation and `/_sim/tokens` work as for classic tokens.
 */
export function statelessInstallationToken(claims: StatelessClaims, targetLength = 520): string {
  const enc = new TextEncoder();
  const header = base64url(enc.encode(JSON.stringify({ alg: "ES256", typ: "ghs", kid: "github-sim" })));
  const payload = base64url(
    enc.encode(
      JSON.stringify({
        iss: "github-sim",
        iid: claims.installationId,
        aid: claims.appId,
        iat: claims.issuedAtSeconds,
        exp: claims.expiresAtSeconds,
        jti: crypto.randomUUID(),
      }),
    ),
  );
  const head = `ghs_${claims.appId}_${header}.${payload}.`;
  for (;;) {
    const sigChars = Math.max(64, targetLength - head.length);
    const sig = base64url(crypto.getRandomValues(new Uint8Array(Math.ceil((sigChars * 3) / 4)))).slice(
      0,
      sigChars,
    );
    // The documented shape has `-` in it; make sure every token exercises that.
    if (sig.includes("-")) return head + sig;
  }
}

/** A web-flow authorization code (20 hex characters, like GitHub's). */
export function oauthCode(): string {
  return randomChars("0123456789abcdef", 20);
}

/** A device code (40 hex characters). */
export function deviceCode(): string {
  return randomChars("0123456789abcdef", 40);
}

/** A user code: 8 characters with a hyphen in the middle (`WDJB-MJHT`). */
export function userCode(): string {
  const chars = randomChars("BCDFGHJKLMNPQRSTVWXZ0123456789", 8);
  return `${chars.slice(0, 4)}-${chars.slice(4)}`;
}

/** A client secret (40 hex characters). */
export function clientSecret(): string {
  return randomChars("0123456789abcdef", 40);
}

/** A GitHub App client id (`Iv23li` + 14 alphanumerics, today's format). */
export function clientId(): string {
  return `Iv23li${randomChars(BASE62, 14)}`;
}

/** SHA-256 of a string, as bytes. */
export async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

/** SHA-256 hex of a string. */
export async function sha256Hex(text: string): Promise<string> {
  return [...(await sha256(text))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** SHA-256 base64url of a string (PKCE S256). */
export async function sha256Base64url(text: string): Promise<string> {
  return base64url(await sha256(text));
}

/** What may be logged about a token: its prefix and a short hash, never the token. */
export async function tokenFingerprint(token: string): Promise<{ prefix: string; hash: string }> {
  const m = /^([a-z]{2,4}_)/.exec(token);
  return {
    prefix: m?.[1] ?? (token.split(".").length === 3 ? "jwt" : "other"),
    hash: (await sha256Hex(token)).slice(0, 12),
  };
}

/** The prefix of a token string (`ghu_`, `ghs_`, ...), or "" when none. */
export function tokenPrefix(token: string): string {
  return /^([a-z]{2,4}_)/.exec(token)?.[1] ?? "";
}
