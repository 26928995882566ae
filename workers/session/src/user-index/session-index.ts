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
 * user's live sessions; `now` is the object's clock.
 */
export function createSessionIndex(storage: DurableObjectStorage, now: () => number): SessionIndex {
  async function live(): Promise<Map<string, number>> {
    const entries = await storage.list<number>({ prefix: PREFIX });
    const over = [...entries].filter(([, endsBy]) => endsBy <= now()).map(([key]) => key);
    if (over.length > 0) await storage.delete(over);
    for (const key of over) entries.delete(key);
    return entries;
  }
  return {
    async add(sessionId, endsBy) {
      const entries = await live();
      const key = `${PREFIX}${sessionId}`;
      if (!entries.has(key) && entries.size >= MAX_INDEXED_SESSIONS) return false;
      await storage.put(key, Math.max(endsBy, entries.get(key) ?? 0));
      return true;
    },
    async list() {
      return [...(await live()).keys()].map((key) => key.slice(PREFIX.length));
    },
    async remove(sessionIds) {
      if (sessionIds.length > 0) await storage.delete(sessionIds.map((id) => `${PREFIX}${id}`));
    },
  };
}
