import { describe, expect, it } from "vitest";
import type { ApiResult } from "./types.ts";
import { waitForSession } from "./wait-for-session.ts";

function sequence(...answers: ApiResult<string>[]) {
  let calls = 0;
  return {
    call: async () => answers[Math.min(calls++, answers.length - 1)] as ApiResult<string>,
    get calls() {
      return calls;
    },
  };
}

const notReady: ApiResult<string> = {
  ok: false,
  status: 503,
  reason: "not_ready",
  message: "",
  retryAfterSeconds: 3,
};

describe("waitForSession", () => {
  it("waits while the session is being prepared, as long as it is told", async () => {
    const waits: number[] = [];
    const s = sequence(notReady, notReady, { ok: true, value: "token" });
    const result = await waitForSession(() => s.call(), { sleep: async (ms) => void waits.push(ms) });
    expect(result).toEqual({ ok: true, value: "token" });
    expect(waits).toEqual([3000, 3000]);
  });

  it("waits on busy and on an internal_error that names a retry time, not on one that does not", async () => {
    // busy: another session of the person is refreshing their token; internal_error with a retry time:
    // the session worker could not reach git-token. Both are what the worker itself retries.
    const busy: ApiResult<string> = {
      ok: false,
      status: 503,
      reason: "busy",
      message: "",
      retryAfterSeconds: 1,
    };
    const unreachable: ApiResult<string> = {
      ok: false,
      status: 503,
      reason: "internal_error",
      message: "",
      retryAfterSeconds: 5,
    };
    const waits: number[] = [];
    const s = sequence(busy, unreachable, { ok: true, value: "token" });
    expect(await waitForSession(() => s.call(), { sleep: async (ms) => void waits.push(ms) })).toEqual({
      ok: true,
      value: "token",
    });
    expect(waits).toEqual([1000, 5000]);
    const bug = sequence({ ok: false, status: 500, reason: "internal_error", message: "" });
    expect(await waitForSession(() => bug.call(), { sleep: async () => {} })).toMatchObject({ ok: false });
    expect(bug.calls).toBe(1);
  });

  it("returns a final answer at once, and gives up at the deadline", async () => {
    const failed = sequence({ ok: false, status: 409, reason: "session_failed", message: "" });
    expect((await waitForSession(() => failed.call(), { sleep: async () => {} })).ok).toBe(false);
    expect(failed.calls).toBe(1);
    const slow = sequence(notReady);
    const result = await waitForSession(() => slow.call(), { maxWaitMs: 0, sleep: async () => {} });
    expect(result).toMatchObject({ ok: false, reason: "not_ready" });
    expect(slow.calls).toBe(1);
  });
});
