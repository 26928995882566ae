import { describe, expect, it } from "vitest";
import { awaitShared, KEEP_ALIVE_MS, type KeepAliveTimers } from "./await-shared.ts";

/** Timers that fire only when the test says so, counting what is armed. */
function manualTimers(): KeepAliveTimers & { armed: Map<number, () => void>; fire(): void } {
  let next = 0;
  const armed = new Map<number, () => void>();
  return {
    armed,
    set(callback, ms) {
      expect(ms).toBe(KEEP_ALIVE_MS);
      next += 1;
      armed.set(next, callback);
      return next;
    },
    clear(handle) {
      armed.delete(handle as number);
    },
    fire() {
      const due = [...armed];
      armed.clear();
      for (const [, callback] of due) callback();
    },
  };
}

function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("awaitShared", () => {
  it("holds one timer of its own while it waits, re-armed each time it fires, none once settled", async () => {
    const timers = manualTimers();
    const shared = deferred<string>();
    const waiting = awaitShared(shared.promise, timers);
    expect(timers.armed.size).toBe(1);
    timers.fire();
    timers.fire();
    // Still waiting: exactly one timer armed, never a pile of them.
    expect(timers.armed.size).toBe(1);
    shared.resolve("answer");
    await expect(waiting).resolves.toBe("answer");
    expect(timers.armed.size).toBe(0);
  });

  it("answers the shared promise itself (no extra turn) and clears its timer before the caller resumes", async () => {
    const timers = manualTimers();
    const shared = deferred<string>();
    const waiting = awaitShared(shared.promise, timers);
    expect(waiting).toBe(shared.promise);
    shared.resolve("x");
    await waiting;
    expect(timers.armed.size).toBe(0);
  });

  it("passes a rejection through unchanged and clears its timer", async () => {
    const timers = manualTimers();
    const shared = deferred<string>();
    const waiting = awaitShared(shared.promise, timers);
    const failure = new Error("the leading call's database was unreachable");
    shared.reject(failure);
    await expect(waiting).rejects.toBe(failure);
    expect(timers.armed.size).toBe(0);
  });

  it("a timer that fires after the promise settled arms nothing more", async () => {
    const timers = manualTimers();
    const shared = deferred<number>();
    const waiting = awaitShared(shared.promise, timers);
    const [[, late] = [0, () => {}]] = [...timers.armed];
    shared.resolve(1);
    await waiting;
    late();
    expect(timers.armed.size).toBe(0);
  });
});
