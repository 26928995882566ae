import type { SessionEvent } from "@gitcred/client";
import type { SessionRecord, SessionStore } from "./types.ts";

const RECORD_KEY = "session";
const EVENT_PREFIX = "event:";

/** Event keys sort by `seq` as strings too (zero-padded), so a prefix listing returns them in order. */
function eventKey(seq: number): string {
  return `${EVENT_PREFIX}${String(seq).padStart(10, "0")}`;
}

/**
 * The session's state in its Durable Object storage: one `session` key for the record and one key per
 * event. A record and the events it produced go in one `put`, which the runtime applies atomically, so
 * an evicted object never comes back with a downgrade but without its event (or the other way round).
 */
export function createStorageStore(storage: DurableObjectStorage): SessionStore {
  return {
    load: () => storage.get<SessionRecord>(RECORD_KEY),
    async save(record, events = []) {
      const entries: Record<string, SessionRecord | SessionEvent> = { [RECORD_KEY]: record };
      for (const event of events) entries[eventKey(event.seq)] = event;
      await storage.put(entries);
    },
    async listEvents(after, limit) {
      const listed = await storage.list<SessionEvent>({
        prefix: EVENT_PREFIX,
        start: eventKey(Math.max(0, Math.floor(after)) + 1),
        limit,
      });
      return [...listed.values()];
    },
  };
}
