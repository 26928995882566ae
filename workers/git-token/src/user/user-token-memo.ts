import { EXPIRY_MARGIN_MS, USER_TOKEN_MEMO_MS } from "../constants.ts";
import { LruCache } from "../lru-cache.ts";
import type { UsableUserToken } from "./refresh-outcome.ts";

const memo = new LruCache<UsableUserToken>(2000);

/**
 * A per-isolate memo of people's decrypted tokens, so a burst of calls for one person skips the row read
 * and the decryption. Kept a few seconds at most and never past the expiry margin; dropped at once by
 * every write this isolate makes (connect, disconnect, deletion, a rejected token).
 */
export const userTokenMemo = {
  get(userId: string): UsableUserToken | undefined {
    return memo.get(userId);
  },
  set(userId: string, token: UsableUserToken, now: number): void {
    const until = Math.min(
      now + USER_TOKEN_MEMO_MS,
      token.expiresAt === null ? Number.POSITIVE_INFINITY : token.expiresAt - EXPIRY_MARGIN_MS,
    );
    memo.set(userId, token, until);
  },
  forget(userId: string): void {
    memo.delete(userId);
  },
  clear(): void {
    memo.clear();
  },
};
