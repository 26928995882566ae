import type { SessionEvent } from "@gitcred/client";
import type { EndedSession, SessionRecord, SessionStore } from "../types.ts";

const RECORD_KEY = "session";
const ENDED_KEY = "ended";
const EVENT_PREFIX = "event:";
/** The newest this many events are kept; older ones go as new ones arrive (the record keeps the facts). */
const MAX_STORED_EVENTS = 1000;

/** Event keys sort by `seq` as strings too (zero-padded), so a prefix listing returns them in order. */
function eventKey(seq: number): string {
  return `${EVENT_PREFIX}${String(seq).padStart(10, "0")}`;
}

/**
 * The session's state in its Durable Object storage: one `session` key for the record and one key per
 * event. A record and the events it produced go in one `put`, which the runtime applies atomically, so
 * an evicted object never comes back with a downgrade but without its event (or the other way round).
 * The log is bounded (`MAX_STORED_EVENTS`); a downgrade is also in the record (`downgradedAt`).
 */
export function createStorageStore(storage: DurableObjectStorage): SessionStore {
  return {
    async load() {
      const stored = await storage.get<SessionRecord & { person?: unknown }>(RECORD_KEY);
      if (stored === undefined) return undefined;
      const scrubbed = scrubIdentity(stored);
      // Records written before data minimisation held the person's name and e-mail: gone at first read.
      if (scrubbed !== stored) await storage.put(RECORD_KEY, scrubbed);
      return scrubbed;
    },
    async save(record, events = []) {
      const entries: Record<string, SessionRecord | SessionEvent> = { [RECORD_KEY]: record };
      const dropped: string[] = [];
      for (const event of events) {
        entries[eventKey(event.seq)] = event;
        if (event.seq > MAX_STORED_EVENTS) dropped.push(eventKey(event.seq - MAX_STORED_EVENTS));
      }
      // No await between the two: the runtime coalesces them into one atomic write.
      const put = storage.put(entries);
      const removed = dropped.length > 0 ? storage.delete(dropped) : Promise.resolve(0);
      await Promise.all([put, removed]);
    },
    async listEvents(after, limit) {
      const listed = await storage.list<SessionEvent>({
        prefix: EVENT_PREFIX,
        start: eventKey(Math.max(0, Math.floor(after)) + 1),
        limit,
      });
      return [...listed.values()];
    },
    async destroy() {
      await storage.deleteAlarm();
      await storage.deleteAll();
    },
    loadEnded: () => storage.get<EndedSession>(ENDED_KEY),
    async end(ended) {
      await storage.deleteAlarm();
      // Both in one implicit transaction (no await between them): never a record and its end marker.
      const cleared = storage.deleteAll();
      const marked = storage.put(ENDED_KEY, ended);
      await Promise.all([cleared, marked]);
    },
  };
}

/**
 * The record without the person's name and e-mail: no `person`, and an `author` only when it is the
 * App's bot. Returns `record` itself when there is nothing to remove.
 */
function scrubIdentity(record: SessionRecord & { person?: unknown }): SessionRecord {
  const personal = record.identity !== "app" && record.author !== null;
  if (!("person" in record) && !personal) return record;
  const { person: _person, ...rest } = record;
  return personal ? { ...rest, author: null } : rest;
}
