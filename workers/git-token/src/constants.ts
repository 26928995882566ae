/** A token is refreshed (user) or re-minted (installation) this long before it expires. */
export const EXPIRY_MARGIN_MS = 10 * 60_000;
/** The per-isolate memo of a decrypted user token lives at most this long. */
export const USER_TOKEN_MEMO_MS = 5_000;
/** Repo-access results in KV: positive answers live 5 minutes, negative ones 60 seconds. */
export const REPO_ACCESS_POSITIVE_TTL_SECONDS = 300;
export const REPO_ACCESS_NEGATIVE_TTL_SECONDS = 60;
/**
 * How long an isolate keeps a positive repo-access verdict it read from KV or GitHub (repo-access-memo.ts):
 * the warm person's call then reads nothing. The same bound as the token memo, which is consulted first.
 */
export const REPO_ACCESS_MEMO_MS = 5_000;
/** KV refuses an expirationTtl below 60 seconds. */
export const KV_MIN_TTL_SECONDS = 60;
/** Default permissions of an installation token. */
export const DEFAULT_INSTALLATION_PERMISSIONS = { contents: "write", metadata: "read" } as const;
