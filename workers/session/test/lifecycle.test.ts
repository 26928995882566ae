import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import type { SessionEvent } from "@gitcred/client";
import { describe, expect, it } from "vitest";
import { createStorageStore } from "../src/record/session-store.ts";
import type { SessionRecord } from "../src/types.ts";
import { prepareSessionFor, seedWorld, sessionObject, sessions, unique } from "./helpers.ts";
import { MAX_STORED_EVENTS, SESSION_IDLE_TTL_MS } from "./limits.ts";

describe("a session's storage", () => {
  it("is deleted after 30 idle days, and not before", async () => {
    const world = await seedWorld();
    // Prepared in the background, the session keeps an alarm of its own after preparing (one prepared
    // now has none: its user's index ends it, session-end.test.ts).
    const { sessionId } = await prepareSessionFor(world, { mode: "background" });
    const stub = sessionObject(sessionId);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const prepared = await sessions().getSession({ sessionId, userId: world.userId });
    if (!prepared.ok || prepared.session.state === "preparing")
      throw new Error("the session was not prepared");
    const { session } = prepared;
    const alarm = await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm());
    // The first check is the absolute end (8 h), which comes before 30 idle days.
    expect(alarm).toBe(
      Math.min(Date.parse(session.updatedAt) + SESSION_IDLE_TTL_MS, Date.parse(session.expiresAt)),
    );

    // Not idle long enough: the alarm only moves on.
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await sessions().getSession({ sessionId, userId: world.userId })).toMatchObject({ ok: true });

    await runInDurableObject(stub, async (_instance, state) => {
      const record = await state.storage.get<SessionRecord>("session");
      if (record === undefined) throw new Error("no record");
      const longAgo = new Date(Date.now() - SESSION_IDLE_TTL_MS - 60_000).toISOString();
      await state.storage.put("session", { ...record, updatedAt: longAgo });
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await sessions().getSession({ sessionId, userId: world.userId })).toMatchObject({
      ok: false,
      reason: "not_found",
    });
    const left = await runInDurableObject(stub, async (_instance, state) => ({
      keys: (await state.storage.list()).size,
      alarm: await state.storage.getAlarm(),
    }));
    expect(left).toEqual({ keys: 0, alarm: null });
  });

  it("keeps the newest events, at most MAX_STORED_EVENTS", async () => {
    const stub = sessionObject(unique("events"));
    const firstKept = await runInDurableObject(stub, async (_instance, state) => {
      const store = createStorageStore(state.storage);
      const record = { lastSeq: 0 } as SessionRecord;
      for (let seq = 1; seq <= MAX_STORED_EVENTS + 5; seq++) {
        const event: SessionEvent = { seq, time: "", type: "token_refreshed", level: "info", message: "" };
        await store.save({ ...record, lastSeq: seq }, [event]);
      }
      const events = await store.listEvents(0, 10);
      const all = await state.storage.list({ prefix: "event:" });
      await store.destroy();
      return { first: events[0]?.seq, count: all.size };
    });
    expect(firstKept).toEqual({ first: 6, count: MAX_STORED_EVENTS });
  });
});
