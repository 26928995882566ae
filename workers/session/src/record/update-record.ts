import type { SessionEvent } from "@gitcred/client";
import type { SessionDeps, SessionRecord } from "../types.ts";

/** An event before it is numbered and timed. */
export type EventDraft = Omit<SessionEvent, "seq" | "time">;

/** A new record and the events that explain the change. */
export interface RecordChange {
  record: SessionRecord;
  events?: readonly EventDraft[];
}

/** Numbers and times `drafts` after the record's newest event; returns the record with `lastSeq` moved on. */
export function stampEvents(
  record: SessionRecord,
  drafts: readonly EventDraft[],
  time: string,
): { record: SessionRecord; events: SessionEvent[] } {
  let seq = record.lastSeq;
  const events = drafts.map((draft) => ({ ...draft, seq: ++seq, time }));
  return { record: { ...record, lastSeq: seq, updatedAt: time }, events };
}

/**
 * Read-modify-write of the session record with no I/O between the read and the write. Awaiting an RPC
 * inside a Durable Object lets other calls in, so a record read before an `await` may be stale by the
 * time it is written: every change is computed from a fresh read here, and its events are written in the
 * same atomic put and then pushed to live subscribers. `change` returns undefined to leave things as they
 * are. Resolves to the record now stored (undefined when there is no session).
 */
export async function updateRecord(
  deps: SessionDeps,
  change: (current: SessionRecord, time: string) => RecordChange | undefined,
): Promise<SessionRecord | undefined> {
  const current = await deps.store.load();
  if (current === undefined) return undefined;
  const time = new Date(deps.now()).toISOString();
  const next = change(current, time);
  if (next === undefined) return current;
  const { record, events } = stampEvents(next.record, next.events ?? [], time);
  await deps.store.save(record, events);
  if (events.length > 0) deps.publish(events);
  return record;
}
