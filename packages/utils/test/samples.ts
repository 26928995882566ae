// Realistic-looking fake credentials for tests. Deterministic (seeded) so failures reproduce.

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const B64URL = `${ALNUM}-_`;

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export function randomChars(length: number, alphabet: string, seed: number): string {
  const next = seeded(seed);
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(next() * alphabet.length)];
  return out;
}

/** Classic 40-char tokens: 4-char prefix + 36 alphanumerics. */
export const ghp40 = `ghp_${randomChars(36, ALNUM, 1)}`;
export const gho40 = `gho_${randomChars(36, ALNUM, 2)}`;
export const ghu40 = `ghu_${randomChars(36, ALNUM, 3)}`;
export const ghs40 = `ghs_${randomChars(36, ALNUM, 4)}`;
/** Refresh tokens are 80 chars. */
export const ghr80 = `ghr_${randomChars(76, ALNUM, 5)}`;
/** Fine-grained PATs: github_pat_ + 22 + _ + 59 = 93 chars. */
export const githubPat93 = `github_pat_${randomChars(22, ALNUM, 6)}_${randomChars(59, ALNUM, 7)}`;

function b64urlJson(value: object): string {
  return btoa(JSON.stringify(value)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** A JWT-like token. */
export const jwt = `${b64urlJson({ alg: "RS256", typ: "JWT" })}.${b64urlJson({
  iss: "123456",
  iat: 1_790_000_000,
  exp: 1_790_000_600,
})}.${randomChars(342, B64URL, 8)}`;

/**
 * The 2026 stateless installation token as GitHub documents it, `ghs_APPID_JWT`: the App id, `_`, then a
 * JWT-like body with `.`, `-` and `_`, ~520 chars.
 */
export const ghsStateless = (() => {
  const header = b64urlJson({ alg: "ES256", typ: "JWT", kid: "k-2026-04" });
  const payload = b64urlJson({
    iid: 98765432,
    rid: [123456789],
    perm: { contents: "write", metadata: "read", pull_requests: "write" },
    exp: 1_790_003_600,
    jti: "7f0c5e2b-4a1d-4c5e-9b7e-2f1a3c4d5e6f",
  });
  const base = `ghs_123456_${header}.${payload}.`;
  return `${base}${randomChars(520 - base.length, B64URL, 9).replace(/^[-_]/, "A")}`;
})();

export const pemPkcs8 = [
  "-----BEGIN PRIVATE KEY-----",
  ...Array.from({ length: 8 }, (_, i) => randomChars(64, `${ALNUM}+/`, 20 + i)),
  "-----END PRIVATE KEY-----",
].join("\n");

export const pemPkcs1 = [
  "-----BEGIN RSA PRIVATE KEY-----",
  ...Array.from({ length: 6 }, (_, i) => randomChars(64, `${ALNUM}+/`, 40 + i)),
  "-----END RSA PRIVATE KEY-----",
].join("\n");

/** A 40-hex OAuth client secret. */
export const clientSecret = randomChars(40, "0123456789abcdef", 60);
export const oauthCode = randomChars(20, "0123456789abcdef", 61);
export const deviceCode = randomChars(40, "0123456789abcdef", 62);
export const oauthState = randomChars(43, B64URL, 63);
