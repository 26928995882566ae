import type { AuditEventInput } from "@gitcred/db";
import { awaitShared, errorFields, type Logger } from "@gitcred/utils";

/** Rows in one INSERT at most (the batch is one statement, so its size stays bounded under any load). */
export const MAX_HAND_OUT_BATCH = 200;

/** Writes rows in one statement (`insertAuditEvents` on the calling request's database). */
export type WriteRows = (rows: AuditEventInput[]) => Promise<void>;

/** A queue of audit rows written after the answer, in batches; see `handOutWrites`. */
export interface AuditRowQueue {
  /**
   * Queues `row`; resolves once it is written (or its failure logged), never rejects. If no batch is
   * under way, this call's `write` carries one; the caller keeps its request alive (and its database
   * open) until then, through `deps.afterAnswer`.
   */
  add(row: AuditEventInput, write: WriteRows, logger: Logger): Promise<void>;
  /** Resolves once every row queued so far is written (starting a batch with `write` if none runs). */
  settled(write: WriteRows, logger: Logger): Promise<void>;
}

interface Pending {
  row: AuditEventInput;
  written: boolean;
}

/** A queue of its own (the worker has one per isolate, `handOutWrites`; tests make theirs). */
export function createAuditRowQueue(maxBatch = MAX_HAND_OUT_BATCH): AuditRowQueue {
  const queue: Pending[] = [];
  let inFlight: Promise<void> | undefined;

  /** One batch; every row in it is settled either way (a failure is logged, never retried). */
  async function writeBatch(write: WriteRows, batch: Pending[], logger: Logger): Promise<void> {
    try {
      await write(batch.map((p) => p.row));
    } catch (error) {
      logger.warn("could not record credential hand-outs", { rows: batch.length, error: errorFields(error) });
    } finally {
      for (const p of batch) p.written = true;
    }
  }

  /**
   * Until `pending` is written: joins the batch in flight, or starts the next one with this call's own
   * `write`. Every caller waits for its own row, so each row is covered by the `waitUntil` of the call
   * that queued it, even when another call's batch carried it, and nobody depends on a call that ended.
   */
  async function untilWritten(pending: Pending, write: WriteRows, logger: Logger): Promise<void> {
    while (!pending.written) {
      if (inFlight === undefined) {
        const batch = queue.splice(0, maxBatch);
        inFlight = writeBatch(write, batch, logger).finally(() => {
          inFlight = undefined;
        });
        await inFlight;
      } else {
        // Another call's batch: waited on with a timer of this call's own (workerd cancels a request
        // that only waits on another request's promise once the thread goes idle).
        await awaitShared(inFlight);
      }
    }
  }

  return {
    add(row, write, logger) {
      const pending: Pending = { row, written: false };
      queue.push(pending);
      return untilWritten(pending, write, logger);
    },
    async settled(write, logger) {
      // Batches leave the queue from its front, one at a time: once the last row is written, all are.
      const last = queue.at(-1);
      if (last !== undefined) await untilWritten(last, write, logger);
      else if (inFlight !== undefined) await awaitShared(inFlight);
    },
  };
}

/**
 * This isolate's credential hand-out records, written after the answer (`waitUntil`) and in batches:
 * one INSERT on one connection carries every row queued while the previous one ran. Awaited on the
 * call, each hand-out cost a Postgres connection and a round trip before the token went out (P4 in
 * docs/BENCHMARKS.md: one connection per session preparation). The rows are the same; they land a
 * moment after the answer. Reads of the activity and the erasure wait for `settled()` first: a settings
 * page answered by this isolate lists the hand-out it just made, and an erasure never runs ahead of a
 * row of the person still on its way in (which would land after their earlier events were stripped).
 */
export const handOutWrites: AuditRowQueue = createAuditRowQueue();
