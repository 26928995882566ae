import type { AuditEventInput } from "@gitcred/db";
import { createLogger } from "@gitcred/utils";
import { describe, expect, it } from "vitest";
import { gate } from "../../../../test-support/gate.ts";
import { createAuditRowQueue, type WriteRows } from "./hand-out-writes.ts";

const logger = createLogger({ worker: "hand-out-writes-test" });
const row = (n: number): AuditEventInput => ({ event: "credential_handed_out", userId: `u${n}` });

/** A writer whose statements the test lets through one at a time, recording what each carried. */
function heldWriter(): { write: WriteRows; batches: string[][]; release(): void } {
  const batches: string[][] = [];
  let held = gate();
  return {
    batches,
    write: async (rows) => {
      batches.push(rows.map((r) => String(r.userId)));
      await held.promise;
    },
    release: () => {
      held.open();
      held = gate();
    },
  };
}

describe("hand-out records written after the answer", () => {
  it("rows queued while a statement runs go in the next one, together; each caller's promise waits for its row", async () => {
    const queue = createAuditRowQueue();
    const writer = heldWriter();
    const done: number[] = [];
    const first = queue.add(row(0), writer.write, logger).then(() => done.push(0));
    // Nine more calls answer while the first statement is still under way.
    const rest = Array.from({ length: 9 }, (_, i) =>
      queue.add(row(i + 1), writer.write, logger).then(() => done.push(i + 1)),
    );
    await Promise.resolve();
    expect(writer.batches).toEqual([["u0"]]);
    writer.release();
    await first;
    // The first row's caller is done; the nine wait for the statement that carries them: one, not nine.
    expect(done).toEqual([0]);
    expect(writer.batches).toEqual([["u0"], ["u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9"]]);
    writer.release();
    await Promise.all(rest);
    expect(done.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(writer.batches).toHaveLength(2);
  });

  it("a batch never exceeds its bound: the rest go in the following statements", async () => {
    const queue = createAuditRowQueue(3);
    const sizes: number[] = [];
    const write: WriteRows = async (rows) => {
      sizes.push(rows.length);
    };
    // All eight are queued before the first statement settles (it starts with the first call alone).
    await Promise.all(Array.from({ length: 8 }, (_, i) => queue.add(row(i), write, logger)));
    expect(sizes).toEqual([1, 3, 3, 1]);
  });

  it("settled() waits for every row queued so far, and a failed statement settles its rows (logged, not retried)", async () => {
    const queue = createAuditRowQueue();
    const writer = heldWriter();
    let settled = false;
    const a = queue.add(row(1), writer.write, logger);
    const b = queue.add(row(2), writer.write, logger);
    const waiting = queue.settled(writer.write, logger).then(() => {
      settled = true;
    });
    writer.release();
    await a;
    expect(settled).toBe(false);
    writer.release();
    await Promise.all([b, waiting]);
    expect(settled).toBe(true);

    const failing: WriteRows = async () => {
      throw new Error("connection refused");
    };
    await expect(queue.add(row(3), failing, logger)).resolves.toBeUndefined();
    // Nothing is left queued: the next settle writes nothing.
    const calls: number[] = [];
    await queue.settled(async (rows) => {
      calls.push(rows.length);
    }, logger);
    expect(calls).toEqual([]);
  });
});
