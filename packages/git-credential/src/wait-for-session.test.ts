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
