import { EXPIRY_MARGIN_MS, USER_TOKEN_MEMO_MS } from "../constants.ts";
import { LruCache } from "../lru-cache.ts";
import type { UsableUserToken } from "./refresh-outcome.ts";
import { repoAccessMemo } from "./repo-access-memo.ts";

const memo = new LruCache<UsableUserToken>(2000);

/**
 * A load of a person's token from their row that is under way in this isolate. `generation` is what the
 * person's generation was when it began; `forget` moves the generation on, so a load that began before a
 * write of this isolate can neither fill the memo afterwards nor be joined by calls that came after it.
 */
export interface MemoLoad {
  readonly userId: string;
  readonly generation: number;
}

/**
 * The generation of each person with at least one load under way, and how many calls hold it. Entries
 * exist only while loads run (bounded by them, never by the number of people ever seen); generations come
 * from one counter, so a key built from one is never reused, even after the entry is gone.
 */
const loading = new Map<string, { generation: number; holders: number }>();
let lastGeneration = 0;

/**
 * A per-isolate memo of people's decrypted tokens, so a burst of calls for one person skips the row read
 * and the decryption. Kept a few seconds at most and never past the expiry margin; dropped at once by
 * every write this isolate makes (connect, disconnect, deletion, a rejected token), and a load that was
 * under way during such a write does not put its (possibly older) token back.
 */
export const userTokenMemo = {
  get(userId: string): UsableUserToken | undefined {
    return memo.get(userId);
  },
  /** Registers a call about to load `userId`'s token from the row; pair with `endLoad` (in `finally`). */
  beginLoad(userId: string): MemoLoad {
    let entry = loading.get(userId);
    if (entry === undefined) {
      lastGeneration += 1;
      entry = { generation: lastGeneration, holders: 0 };
      loading.set(userId, entry);
    }
    entry.holders += 1;
    return { userId, generation: entry.generation };
  },
  /** Ends what `beginLoad` registered. */
  endLoad(load: MemoLoad): void {
    const entry = loading.get(load.userId);
    if (entry === undefined) return;
    entry.holders -= 1;
    if (entry.holders <= 0) loading.delete(load.userId);
  },
  /** Whether nothing was forgotten about the person since `load` began. */
  isCurrent(load: MemoLoad): boolean {
    return loading.get(load.userId)?.generation === load.generation;
  },
  /** Memoizes what `load` read, unless the person was forgotten meanwhile (the token may be stale). */
  set(load: MemoLoad, token: UsableUserToken, now: number): void {
    if (!userTokenMemo.isCurrent(load)) return;
    const until = Math.min(
      now + USER_TOKEN_MEMO_MS,
      token.expiresAt === null ? Number.POSITIVE_INFINITY : token.expiresAt - EXPIRY_MARGIN_MS,
    );
    memo.set(load.userId, token, until);
  },
  /** Drops the person's token and, with it, their repo-access verdicts (repo-access-memo.ts). */
  forget(userId: string): void {
    memo.delete(userId);
    repoAccessMemo.forgetUser(userId);
    const entry = loading.get(userId);
    if (entry !== undefined) {
      lastGeneration += 1;
      entry.generation = lastGeneration;
    }
  },
};
