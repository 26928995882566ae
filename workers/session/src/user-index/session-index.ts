/**
 * The index of one user's sessions, in that user's `UserSessionIndex` object: which session ids to end
 * when the person asks to "end the sessions that use my identity" (`endSessionsForUser`), and when each
 * session's lifetime is over (the object's alarm ends them then: `expire-due-sessions.ts`). Session
 * objects are named by session id, so without it nothing could find a user's sessions. It holds session
 * ids and an upper bound of when each ends, nothing else (no name, no e-mail, no secret). An entry is
 * added before the session is created, so an "end all" that runs meanwhile still finds it.
 */
const PREFIX = "session:";
/** Live sessions one user may have at once; more is a runaway platform, refused rather than stored. */
export const MAX_INDEXED_SESSIONS = 1000;
/** Keys one `put` takes (the storage API's limit); a bigger batch is several puts in one commit. */
const MAX_KEYS_PER_PUT = 128;

/** What the index object keeps per user. */
export interface SessionIndex {
  /**
   * Records `sessionId` until `endsBy` (epoch ms); false when the user has too many live sessions. It
   * answers once the entry (and the alarm that ends it) is durable: a session may write nothing of
   * itself before that.
   */
  add(sessionId: string, endsBy: number): Promise<boolean>;
  /** Every session id the index names, ended by time or not yet: what an "end all" ends. */
  list(): Promise<string[]>;
  /** The session ids whose `endsBy` has come: the alarm asks each whether it is over. */
  due(): Promise<string[]>;
  /**
   * Forgets the entries whose sessions are over, moves those that end later to their real end, and
   * sets the alarm for the earliest end left, `retryAt` for an entry still due, or none when none is left.
   */
  settle(outcome: {
    over: readonly string[];
    later: ReadonlyMap<string, number>;
    retryAt: number;
  }): Promise<void>;
  /** Forgets entries (their sessions are ended). */
  remove(sessionIds: readonly string[]): Promise<void>;
}

/**
 * When the entries added meanwhile are written: `write` runs once the adds that arrive before it have
 * joined the batch. Production yields one turn of the event loop (`setTimeout(0)`), which is where a
 * burst's other calls are waiting; tests pass a gate.
 */
export type DeferWrite = (write: () => void) => void;

const nextTurn: DeferWrite = (write) => {
  setTimeout(write, 0);
};

interface Batch {
  entries: Record<string, number>;
  /**
   * Set when an entry of the batch ends before the alarm that was set: the batch then writes the alarm
   * memory holds when it is written (`holder.alarm`), never an older view of it (an alarm run that set a
   * retry meanwhile keeps it).
   */
  holder?: Loaded;
  written: Promise<void>;
}

interface Loaded {
  all: Map<string, number>;
  /** The object's alarm as this instance last set or read it; null when none is set. */
  alarm: number | null;
}

function earliest(all: Map<string, number>): number | null {
  let first: number | null = null;
  for (const endsBy of all.values()) if (first === null || endsBy < first) first = endsBy;
  return first;
}

/**
 * The index on a Durable Object's storage; `now` is the object's clock. The entries (and the alarm) are
 * read from storage once per object instance and kept in memory (only this object writes them): an
 * `add` is one write, where listing every entry on each one cost a read of up to 1,000 rows per session
 * prepared (P4 in docs/BENCHMARKS.md). Adds that arrive together share that write (group commit): an
 * agent fleet starting 100 sessions for one person commits the index a few times, not 100 (each commit
 * is a storage write, billed, and a flush to disk that holds the object's thread). The object's alarm
 * is kept at the earliest entry's end, so a session needs no alarm of its own to be ended on time: its
 * preparation commits once, in its own object, and only the first of a burst of entries moves the alarm.
 */
export function createSessionIndex(
  storage: DurableObjectStorage,
  now: () => number,
  defer: DeferWrite = nextTurn,
): SessionIndex {
  let loaded: Promise<Loaded> | undefined;
  let batch: Batch | undefined;
  async function read(): Promise<Loaded> {
    const [all, alarm] = await Promise.all([storage.list<number>({ prefix: PREFIX }), storage.getAlarm()]);
    const state: Loaded = { all, alarm };
    // Entries written before the index kept an alarm (or an alarm lost): the earliest gets one now.
    const first = earliest(all);
    if (first !== null && (alarm === null || alarm > first)) {
      await storage.setAlarm(first);
      state.alarm = first;
    }
    return state;
  }
  function state(): Promise<Loaded> {
    // One read shared by the calls that arrive before it answers; a failed read is tried again next time.
    loaded ??= read().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    });
    return loaded;
  }
  /** Writes a closed batch: its entries and, if it moved, the alarm, in one commit. */
  function write(closed: Batch, resolve: () => void, reject: (error: unknown) => void): void {
    const keys = Object.entries(closed.entries);
    const writes: Promise<void>[] = [];
    // No await between the writes: the runtime commits them together.
    for (let i = 0; i < keys.length; i += MAX_KEYS_PER_PUT)
      writes.push(storage.put(Object.fromEntries(keys.slice(i, i + MAX_KEYS_PER_PUT))));
    const alarm = closed.holder?.alarm;
    if (alarm !== undefined && alarm !== null) writes.push(storage.setAlarm(alarm));
    Promise.all(writes).then(
      () => resolve(),
      (error: unknown) => {
        // Memory named entries that never reached storage: read it again rather than trust it (a
        // refused add must not count against the limit, nor be listed as a session).
        loaded = undefined;
        reject(error);
      },
    );
  }
  /** Joins `key` to the batch being gathered (opening one if none is), answering when it is written. */
  function persist(key: string, value: number, movedAlarm: Loaded | undefined): Promise<void> {
    const opened = batch === undefined;
    const gathering: Batch = batch ?? { entries: {}, written: Promise.resolve() };
    gathering.entries[key] = value;
    if (movedAlarm !== undefined) gathering.holder = movedAlarm;
    if (!opened) return gathering.written;
    batch = gathering;
    gathering.written = new Promise<void>((resolve, reject) => {
      defer(() => {
        // Adds from here on open the next batch: this one is closed before it is written.
        if (batch === gathering) batch = undefined;
        write(gathering, resolve, reject);
      });
    });
    return gathering.written;
  }
  return {
    async add(sessionId, endsBy) {
      const loadedState = await state();
      const { all } = loadedState;
      const key = `${PREFIX}${sessionId}`;
      const at = now();
      // Checked and claimed in memory with no await between: concurrent adds cannot pass the limit
      // together. Entries whose end has come wait for the alarm to end them and do not count.
      if (!all.has(key)) {
        let live = 0;
        for (const ends of all.values()) if (ends > at) live++;
        if (live >= MAX_INDEXED_SESSIONS) return false;
      }
      const value = Math.max(endsBy, all.get(key) ?? 0);
      all.set(key, value);
      const movesAlarm = loadedState.alarm === null || value < loadedState.alarm;
      if (movesAlarm) loadedState.alarm = value;
      await persist(key, value, movesAlarm ? loadedState : undefined);
      return true;
    },
    async list() {
      return [...(await state()).all.keys()].map((key) => key.slice(PREFIX.length));
    },
    async due() {
      const at = now();
      return [...(await state()).all]
        .filter(([, endsBy]) => endsBy <= at)
        .map(([key]) => key.slice(PREFIX.length));
    },
    async settle({ over, later, retryAt }) {
      const loadedState = await state();
      const { all } = loadedState;
      const gone = over.map((id) => `${PREFIX}${id}`);
      for (const key of gone) all.delete(key);
      const moved: Record<string, number> = {};
      for (const [id, endsAt] of later) {
        const key = `${PREFIX}${id}`;
        // Only an entry still named moves: one an "end all" removed meanwhile stays gone.
        if (all.has(key)) moved[key] = endsAt;
      }
      for (const [key, endsAt] of Object.entries(moved)) all.set(key, endsAt);
      // The next alarm: the earliest end still to come, or sooner `retryAt` for an entry still due (its
      // session could not be asked). Never a time already past, which would fire again at once.
      const at = now();
      let next: number | null = null;
      for (const endsBy of all.values()) {
        const when = endsBy <= at ? Math.max(retryAt, at) : endsBy;
        if (next === null || when < next) next = when;
      }
      loadedState.alarm = next;
      // One commit: the entries, and the alarm for what is left.
      const writes: Promise<unknown>[] = [];
      for (let i = 0; i < gone.length; i += MAX_KEYS_PER_PUT)
        writes.push(storage.delete(gone.slice(i, i + MAX_KEYS_PER_PUT)));
      const movedKeys = Object.entries(moved);
      for (let i = 0; i < movedKeys.length; i += MAX_KEYS_PER_PUT)
        writes.push(storage.put(Object.fromEntries(movedKeys.slice(i, i + MAX_KEYS_PER_PUT))));
      writes.push(next === null ? storage.deleteAlarm() : storage.setAlarm(next));
      await Promise.all(writes);
    },
    async remove(sessionIds) {
      if (sessionIds.length === 0) return;
      const { all } = await state();
      const keys = sessionIds.map((id) => `${PREFIX}${id}`);
      for (const key of keys) {
        all.delete(key);
        // Not written back by a batch still gathering: the entry's session was ended meanwhile.
        if (batch !== undefined) delete batch.entries[key];
      }
      const deletes: Promise<number>[] = [];
      for (let i = 0; i < keys.length; i += MAX_KEYS_PER_PUT)
        deletes.push(storage.delete(keys.slice(i, i + MAX_KEYS_PER_PUT)));
      await Promise.all(deletes);
    },
  };
}
