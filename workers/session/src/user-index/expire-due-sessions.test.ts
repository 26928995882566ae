import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SessionEnv } from "../env.ts";
import { EXPIRY_RETRY_MS, expireDueSessions, type SessionExpiry } from "./expire-due-sessions.ts";
import { createSessionIndex } from "./session-index.ts";

const sessionEnv = env as unknown as SessionEnv;
let serial = 0;
// In the future: an alarm set in the past would fire at once and run the real object's handler.
const T0 = Date.parse("2030-01-01T12:00:00Z");
const HOUR = 3600_000;

function indexObject() {
  return sessionEnv.USER_SESSIONS.get(sessionEnv.USER_SESSIONS.idFromName(`expiry-test-${serial++}`));
}

/** Writes at once: these tests are about the alarm, not the batching. */
const immediately = (write: () => void) => write();

describe("expireDueSessions (the index's alarm)", () => {
  it("asks only the due sessions, forgets those over, moves those not, retries one it could not reach", async () => {
    const result = await runInDurableObject(indexObject(), async (_instance, state) => {
      const clock = { now: T0 };
      const index = createSessionIndex(state.storage, () => clock.now, immediately);
      await index.add("over", T0 + HOUR);
      await index.add("raised-lifetime", T0 + HOUR);
      await index.add("unreachable", T0 + HOUR);
      await index.add("not-due", T0 + 5 * HOUR);
      const alarmAfterAdds = await state.storage.getAlarm();
      clock.now = T0 + HOUR;
      const asked: string[] = [];
      const outcome = await expireDueSessions({
        index,
        now: () => clock.now,
        expireOne: async (id): Promise<SessionExpiry> => {
          asked.push(id);
          if (id === "unreachable") throw new Error("the session's object did not answer");
          return id === "over" ? { over: true } : { over: false, endsAt: T0 + 3 * HOUR };
        },
      });
      return {
        alarmAfterAdds,
        outcome,
        asked: asked.sort(),
        stored: Object.fromEntries(await state.storage.list({ prefix: "session:" })),
        alarm: await state.storage.getAlarm(),
      };
    });
    expect(result).toEqual({
      alarmAfterAdds: T0 + HOUR,
      outcome: { over: 1, later: 1, failed: 1 },
      asked: ["over", "raised-lifetime", "unreachable"],
      stored: {
        "session:raised-lifetime": T0 + 3 * HOUR,
        "session:unreachable": T0 + HOUR,
        "session:not-due": T0 + 5 * HOUR,
      },
      // The unreachable one is asked again soon, before the others' ends.
      alarm: T0 + HOUR + EXPIRY_RETRY_MS,
    });
  });

  it("leaves no alarm when the last entry goes, and an add sets it again", async () => {
    const result = await runInDurableObject(indexObject(), async (_instance, state) => {
      const clock = { now: T0 };
      const index = createSessionIndex(state.storage, () => clock.now, immediately);
      await index.add("only", T0 + HOUR);
      clock.now = T0 + HOUR;
      await expireDueSessions({ index, now: () => clock.now, expireOne: async () => ({ over: true }) });
      const empty = await state.storage.getAlarm();
      await index.add("next", T0 + 9 * HOUR);
      return { empty, again: await state.storage.getAlarm(), listed: await index.list() };
    });
    expect(result).toEqual({ empty: null, again: T0 + 9 * HOUR, listed: ["next"] });
  });

  it("gives entries stored without an alarm (before the index kept one) an alarm when first read", async () => {
    const alarm = await runInDurableObject(indexObject(), async (_instance, state) => {
      await state.storage.put({ "session:old-a": T0 + 2 * HOUR, "session:old-b": T0 + HOUR });
      const index = createSessionIndex(state.storage, () => T0, immediately);
      await index.list();
      return state.storage.getAlarm();
    });
    expect(alarm).toBe(T0 + HOUR);
  });

  it("counts entries past their end against nothing: they wait for the alarm, not for room", async () => {
    const result = await runInDurableObject(indexObject(), async (_instance, state) => {
      const clock = { now: T0 };
      const index = createSessionIndex(state.storage, () => clock.now, immediately);
      await index.add("ended-by-time", T0 + HOUR);
      clock.now = T0 + 2 * HOUR;
      // Still named (an "end all" would end it too) and due, until the alarm has asked it.
      return { listed: await index.list(), due: await index.due() };
    });
    expect(result).toEqual({ listed: ["ended-by-time"], due: ["ended-by-time"] });
  });
});
