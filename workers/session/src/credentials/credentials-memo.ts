import type { GitCredentials } from "@gitcred/client";

/**
 * How long SessionService reuses a session object's credential answer in its own isolate. It bounds how
 * late a change made through another isolate of the session worker shows here: an `endSession`, a
 * rejected-token report (downgrade or new token), a re-prepare. Through this isolate those take effect at
 * once (the entry is dropped before the call goes on). The same order as git-token's own memos (5 s).
 */
export const CREDENTIALS_MEMO_MS = 2_000;

/** Entries at most: a few bytes of ids and one token each; an isolate serves a bounded set of sessions. */
const MAX_ENTRIES = 1_000;

/** What the session's object lets the entrypoint reuse, and until when (epoch ms; 0: not at all). */
export interface ReusableCredentials {
  answer: GitCredentials;
  reuseUntil: number;
}

interface Entry {
  userId: string;
  answer: GitCredentials;
  until: number;
}

const entries = new Map<string, Entry>();
/**
 * Moves on with every forget. An answer is kept only if nothing was forgotten since its call began: an
 * answer the object gave before an `endSession` of this isolate must not come back after it.
 */
let epoch = 0;

/**
 * SessionService's per-isolate memo of warm `getGitCredentials` answers. Without it a warm call crossed
 * two RPC hops (the entrypoint, then the session's object) where the floor makes one: 2.3 × ping (P2 in
 * docs/BENCHMARKS.md). The object decides what may be reused and for how long (`reuseUntil`: never past
 * the session's end, never a token closer to expiry than the hand-out margin, never while the session
 * waits for its person's SSO authorization); only a platform caller (by user id) is answered from it.
 */
export const credentialsMemo = {
  get(sessionId: string, userId: string, now: number): GitCredentials | undefined {
    const entry = entries.get(sessionId);
    if (entry === undefined) return undefined;
    if (entry.userId !== userId) return undefined;
    if (now >= entry.until) {
      entries.delete(sessionId);
      return undefined;
    }
    return entry.answer;
  },
  /** Where a call that may fill the memo begins: pass it to `set`. */
  begin(): number {
    return epoch;
  },
  /** Keeps what the object allowed, unless `reuseUntil` has passed or something was forgotten since `begun`. */
  set(sessionId: string, userId: string, reusable: ReusableCredentials, now: number, begun: number): void {
    if (begun !== epoch) return;
    const until = Math.min(reusable.reuseUntil, now + CREDENTIALS_MEMO_MS);
    if (until <= now) return;
    if (entries.size >= MAX_ENTRIES && !entries.has(sessionId)) {
      const oldest = entries.keys().next();
      if (oldest.done !== true) entries.delete(oldest.value);
    }
    entries.set(sessionId, { userId, answer: reusable.answer, until });
  },
  /** Drops the session's entry: every call that may change its credentials does this first. */
  forget(sessionId: string): void {
    epoch++;
    entries.delete(sessionId);
  },
  /** Drops every entry of the user (`endSessionsForUser`). */
  forgetUser(userId: string): void {
    epoch++;
    for (const [sessionId, entry] of entries) if (entry.userId === userId) entries.delete(sessionId);
  },
};
