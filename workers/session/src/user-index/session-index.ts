/**
 * The index of one user's sessions, in that user's `UserSessionIndex` object: which session ids to end
 * when the person asks to "end the sessions that use my identity" (`endSessionsForUser`). Session objects
 * are named by session id, so without it nothing could find a user's sessions. It holds session ids and
 * an upper bound of when each ends, nothing else (no name, no e-mail, no secret). An entry is added
 * before the session is created, so an "end all" that runs meanwhile still finds it.
 */
const PREFIX = "session:";
/** Live sessions one user may have at once; more is a runaway platform, refused rather than stored. */
export const MAX_INDEXED_SESSIONS = 1000;

/** What the index object keeps per user. */
export interface SessionIndex {
  /** Records `sessionId` until `endsBy` (epoch ms); false when the user has too many live sessions. */
  add(sessionId: string, endsBy: number): Promise<boolean>;
  /** The session ids that may still be live. */
  list(): Promise<string[]>;
  /** Forgets entries (their sessions are ended). */
  remove(sessionIds: readonly string[]): Promise<void>;
}

/**
 * The index on a Durable Object's storage. Entries whose session must have ended by now (its absolute
 * lifetime is over) are dropped whenever the index is written or read, so it stays as small as the
 * user's live sessions; `now` is the object's clock. The entries are read from storage once per object
 * instance and kept in memory (only this object writes them): an `add` is one write, where listing every
 * entry on each one cost a read of up to 1,000 rows per session prepared (P4 in docs/BENCHMARKS.md).
 */
export function createSessionIndex(storage: DurableObjectStorage, now: () => number): SessionIndex {
  let loaded: Promise<Map<string, number>> | undefined;
  function entries(): Promise<Map<string, number>> {
    // One read shared by the calls that arrive before it answers; a failed read is tried again next time.
    loaded ??= storage.list<number>({ prefix: PREFIX }).catch((error: unknown) => {
      loaded = undefined;
      throw error;
    });
    return loaded;
  }
  async function live(): Promise<Map<string, number>> {
    const all = await entries();
    const over = [...all].filter(([, endsBy]) => endsBy <= now()).map(([key]) => key);
    for (const key of over) all.delete(key);
    if (over.length > 0) await storage.delete(over);
    return all;
  }
  return {
    async add(sessionId, endsBy) {
      const all = await live();
      const key = `${PREFIX}${sessionId}`;
      if (!all.has(key) && all.size >= MAX_INDEXED_SESSIONS) return false;
      const value = Math.max(endsBy, all.get(key) ?? 0);
      all.set(key, value);
      await storage.put(key, value);
      return true;
    },
    async list() {
      return [...(await live()).keys()].map((key) => key.slice(PREFIX.length));
    },
    async remove(sessionIds) {
      if (sessionIds.length === 0) return;
      const all = await entries();
      const keys = sessionIds.map((id) => `${PREFIX}${id}`);
      for (const key of keys) all.delete(key);
      await storage.delete(keys);
    },
  };
}
