import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SessionEnv } from "../env.ts";
import { createSessionIndex, type DeferWrite, MAX_INDEXED_SESSIONS } from "./session-index.ts";

const sessionEnv = env as unknown as SessionEnv;
const LATER = Date.now() + 3600_000;
let serial = 0;

/** A fresh index object of its own, so no test sees another's entries. */
function indexObject() {
  return sessionEnv.USER_SESSIONS.get(sessionEnv.USER_SESSIONS.idFromName(`index-test-${serial++}`));
}

/** The object's real storage, with its `put` calls counted (and made to fail while `failing` is set). */
function countingStorage(storage: DurableObjectStorage) {
  const counts = { puts: 0, failing: false };
  const counted = new Proxy(storage, {
    get(target, property) {
      if (property === "put")
        return (...args: Parameters<DurableObjectStorage["put"]>) => {
          counts.puts++;
          if (counts.failing) return Promise.reject(new Error("storage unavailable"));
          return (target.put as (...a: unknown[]) => Promise<void>)(...args);
        };
      const value = Reflect.get(target, property) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { storage: counted, counts };
}

/** A `DeferWrite` that holds each batch until the test releases it. */
function heldWrites(): { defer: DeferWrite; release(): void } {
  const waiting: (() => void)[] = [];
  return {
    defer: (write) => {
      waiting.push(write);
    },
    release: () => {
      for (const write of waiting.splice(0)) write();
    },
  };
}

describe("the user's session index", () => {
  it("commits a burst of adds once, and answers none of them before the entries are stored", async () => {
    const result = await runInDurableObject(indexObject(), async (_instance, state) => {
      const { storage, counts } = countingStorage(state.storage);
      const held = heldWrites();
      const index = createSessionIndex(storage, Date.now, held.defer);
      const answered: string[] = [];
      const adds = Array.from({ length: 200 }, (_, i) =>
        index.add(`s${i}`, LATER).then((ok) => {
          answered.push(`s${i}`);
          return ok;
        }),
      );
      // Once a later list answers, every add has joined the batch; none may answer before it is written.
      await index.list();
      const beforeRelease = { answered: answered.length, stored: (await state.storage.list()).size };
      held.release();
      const oks = await Promise.all(adds);
      return {
        beforeRelease,
        oks: oks.every(Boolean),
        // 200 keys are more than one put takes: two puts, one batch, no await between them.
        puts: counts.puts,
        stored: (await state.storage.list({ prefix: "session:" })).size,
        listed: (await index.list()).length,
      };
    });
    expect(result).toEqual({
      beforeRelease: { answered: 0, stored: 0 },
      oks: true,
      puts: 2,
      stored: 200,
      listed: 200,
    });
  });

  it("puts an add that comes after a batch closed into the next one", async () => {
    const result = await runInDurableObject(indexObject(), async (_instance, state) => {
      const { storage, counts } = countingStorage(state.storage);
      const held = heldWrites();
      const index = createSessionIndex(storage, Date.now, held.defer);
      const first = index.add("a", LATER);
      await index.list();
      held.release();
      await first;
      const second = index.add("b", LATER);
      await index.list();
      held.release();
      await second;
      return { puts: counts.puts, listed: (await index.list()).sort() };
    });
    expect(result).toEqual({ puts: 2, listed: ["a", "b"] });
  });

  it("does not write back an entry removed while its batch was gathering", async () => {
    const result = await runInDurableObject(indexObject(), async (_instance, state) => {
      const { storage } = countingStorage(state.storage);
      const held = heldWrites();
      const index = createSessionIndex(storage, Date.now, held.defer);
      const adding = index.add("ended-meanwhile", LATER);
      const kept = index.add("kept", LATER);
      await index.list();
      // An "end all" listed it, ended its session and forgets it before the batch is written.
      await index.remove(["ended-meanwhile"]);
      held.release();
      await Promise.all([adding, kept]);
      return [...(await state.storage.list({ prefix: "session:" })).keys()];
    });
    expect(result).toEqual(["session:kept"]);
  });

  it("fails every add of a batch whose write fails, and names none of them afterwards", async () => {
    const result = await runInDurableObject(indexObject(), async (_instance, state) => {
      const { storage, counts } = countingStorage(state.storage);
      const held = heldWrites();
      const index = createSessionIndex(storage, Date.now, held.defer);
      const stored = index.add("stored", LATER);
      await index.list();
      held.release();
      await stored;
      counts.failing = true;
      const failed = [index.add("lost-1", LATER), index.add("lost-2", LATER)].map((p) =>
        p.then(
          () => "ok",
          (error: unknown) => (error instanceof Error ? error.message : "failed"),
        ),
      );
      await index.list();
      held.release();
      const outcomes = await Promise.all(failed);
      counts.failing = false;
      return { outcomes, listed: await index.list() };
    });
    expect(result).toEqual({ outcomes: ["storage unavailable", "storage unavailable"], listed: ["stored"] });
  });

  it("lets concurrent adds past the limit together: exactly the room that is left", async () => {
    const result = await runInDurableObject(indexObject(), async (_instance, state) => {
      const existing: Record<string, number> = {};
      for (let i = 0; i < MAX_INDEXED_SESSIONS - 3; i++) existing[`session:old-${i}`] = LATER;
      const keys = Object.entries(existing);
      for (let i = 0; i < keys.length; i += 128)
        await state.storage.put(Object.fromEntries(keys.slice(i, i + 128)));
      const held = heldWrites();
      const index = createSessionIndex(state.storage, Date.now, held.defer);
      const adds = Array.from({ length: 10 }, (_, i) => index.add(`new-${i}`, LATER));
      await index.list();
      held.release();
      const oks = await Promise.all(adds);
      return {
        accepted: oks.filter(Boolean).length,
        stored: (await state.storage.list({ prefix: "session:" })).size,
      };
    });
    expect(result).toEqual({ accepted: 3, stored: MAX_INDEXED_SESSIONS });
  });

  it("over RPC, with the production batching, stores and lists every concurrent add", async () => {
    const stub = indexObject();
    const adds = await Promise.all(Array.from({ length: 20 }, (_, i) => stub.add(`rpc-${i}`, LATER)));
    expect(adds.every(Boolean)).toBe(true);
    expect((await stub.list()).length).toBe(20);
  });
});
