import { REPO_ACCESS_MEMO_MS } from "../constants.ts";

/** A verdict as the memo keeps it: whose it is, so everything of one person can be dropped at once. */
interface Memoized {
  userId: string;
  pull: boolean;
  push: boolean;
  until: number;
}

/**
 * A per-isolate memo of positive repo-access verdicts, keyed like the KV entry (person, connection,
 * repository). Without it every warm call of the person's path reads KV (P2: a KV read costs more than
 * the RPC itself). Only "may read" verdicts are kept, REPO_ACCESS_MEMO_MS at most on the caller's clock,
 * and every write that makes this isolate forget a person's token (connect, disconnect, deletion, a
 * rejected or revoked token: `userTokenMemo.forget`) drops them too, so a rejection or a webhook takes
 * effect at once in the isolate that receives it; elsewhere the person's token memo, consulted first and
 * kept as long, ends it within 5 s. Bounded: the least recently used verdict goes first.
 */
export function createRepoAccessMemo(maxEntries = 4000) {
  const entries = new Map<string, Memoized>();
  return {
    get(key: string, now: number): { pull: boolean; push: boolean } | undefined {
      const hit = entries.get(key);
      if (hit === undefined) return undefined;
      entries.delete(key);
      if (hit.until <= now) return undefined;
      entries.set(key, hit);
      return { pull: hit.pull, push: hit.push };
    },
    /** Keeps a positive verdict for REPO_ACCESS_MEMO_MS; a negative one is never kept (it may change). */
    set(key: string, userId: string, facts: { pull: boolean; push: boolean }, now: number): void {
      entries.delete(key);
      if (!facts.pull) return;
      entries.set(key, { userId, pull: facts.pull, push: facts.push, until: now + REPO_ACCESS_MEMO_MS });
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done === true) break;
        entries.delete(oldest.value);
      }
    },
    forgetUser(userId: string): void {
      for (const [key, value] of [...entries]) if (value.userId === userId) entries.delete(key);
    },
    get size(): number {
      return entries.size;
    },
  };
}

/** The isolate's memo. */
export const repoAccessMemo = createRepoAccessMemo();
