import { describe, expect, it } from "vitest";
import { gate } from "../../../test-support/gate.ts";
import { SerialQueue } from "./serial-queue.ts";

describe("SerialQueue", () => {
  it("starts a piece only after the one before it settled, in arrival order", async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    const first = gate();
    const a = queue.run(async () => {
      log.push("a start");
      await first.promise;
      log.push("a end");
      return "a";
    });
    const b = queue.run(async () => {
      log.push("b start");
      return "b";
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(log).toEqual(["a start"]);
    first.open();
    expect(await Promise.all([a, b])).toEqual(["a", "b"]);
    expect(log).toEqual(["a start", "a end", "b start"]);
  });

  it("a failed piece rejects its own caller and does not stop the queue", async () => {
    const queue = new SerialQueue();
    const failed = queue.run(async () => {
      throw new Error("boom");
    });
    const next = queue.run(async () => "after");
    await expect(failed).rejects.toThrow("boom");
    expect(await next).toBe("after");
  });
});
