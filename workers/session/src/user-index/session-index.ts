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
  /**
   * Records `sessionId` until `endsBy` (epoch ms); false when the user has too many live sessions. It
   * answers once the entry is durable: a session may write nothing of itself before that.
   */
  add(sessionId: string, endsBy: number): Promise<boolean>;
  /** The session ids that may still be live. */
  list(): Promise<string[]>;
  /** Forgets entries (their sessions are ended). */
  remove(sessionIds: readonly string[]): Promise<void>;
}

/**
 * When the entries added meanwhile are written: `write` runs once the adds that arrive before it have
 * joined the batch. Production yields one turn of the event loop (`setTimeout(0)`), which is where a
 * burst's other calls are waiting; tests pass a gate.
 */
export type DeferWrite = (write: () => void) => void;

/** Keys one `put` takes (the storage API's limit); a bigger batch is several puts in one commit. */
const MAX_KEYS_PER_PUT = 128;

const nextTurn: DeferWrite = (write) => {
  setTimeout(write, 0);
};

interface Batch {
  entries: Record<string, number>;
  written: Promise<void>;
}

/**
 * The index on a Durable Object's storage. Entries whose session must have ended by now (its absolute
 * lifetime is over) are dropped whenever the index is written or read, so it stays as small as the
 * user's live sessions; `now` is the object's clock. The entries are read from storage once per object
 * instance and kept in memory (only this object writes them): an `add` is one write, where listing every
 * entry on each one cost a read of up to 1,000 rows per session prepared (P4 in docs/BENCHMARKS.md).
 * Adds that arrive together share that write (group commit): an agent fleet starting 100 sessions for
 * one person commits the index a few times, not 100 (each commit is a storage write, billed, and a
 * flush to disk that holds the object's thread).
 */
export function createSessionIndex(
  storage: DurableObjectStorage,
  now: () => number,
  defer: DeferWrite = nextTurn,
): SessionIndex {
  let loaded: Promise<Map<string, number>> | undefined;
  let batch: Batch | undefined;
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
  /** Joins `key` to the batch being gathered (opening one if none is), answering when it is written. */
  function persist(key: string, value: number): Promise<void> {
    if (batch === undefined) {
      const gathering: Batch = { entries: {}, written: Promise.resolve() };
      gathering.written = new Promise<void>((resolve, reject) => {
        defer(() => {
          // Adds from here on open the next batch: this one is closed before it is written.
          if (batch === gathering) batch = undefined;
          const keys = Object.entries(gathering.entries);
          const puts: Promise<void>[] = [];
          // No await between the puts: the runtime commits them together.
          for (let i = 0; i < keys.length; i += MAX_KEYS_PER_PUT)
            puts.push(storage.put(Object.fromEntries(keys.slice(i, i + MAX_KEYS_PER_PUT))));
          Promise.all(puts).then(
            () => resolve(),
            (error: unknown) => {
              // Memory named entries that never reached storage: read it again rather than trust it (a
              // refused add must not count against the limit, nor be listed as a session).
              loaded = undefined;
              reject(error);
            },
          );
        });
      });
      batch = gathering;
    }
    batch.entries[key] = value;
    return batch.written;
  }
  return {
    async add(sessionId, endsBy) {
      const all = await live();
      const key = `${PREFIX}${sessionId}`;
      // Checked and claimed in memory with no await between: concurrent adds cannot pass the limit together.
      if (!all.has(key) && all.size >= MAX_INDEXED_SESSIONS) return false;
      const value = Math.max(endsBy, all.get(key) ?? 0);
      all.set(key, value);
      await persist(key, value);
      return true;
    },
    async list() {
      return [...(await live()).keys()].map((key) => key.slice(PREFIX.length));
    },
    async remove(sessionIds) {
      if (sessionIds.length === 0) return;
      const all = await entries();
      const keys = sessionIds.map((id) => `${PREFIX}${id}`);
      for (const key of keys) {
        all.delete(key);
        // Not written back by a batch still gathering: the entry's session was ended meanwhile.
        if (batch !== undefined) delete batch.entries[key];
      }
      await storage.delete(keys);
    },
  };
}
