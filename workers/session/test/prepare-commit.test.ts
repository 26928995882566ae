/**
 * A new session prepared `now` does the least durable work (P4, #17): its index entry and its token are
 * asked for at once, and the record is written once, `ready`, with its event, and no alarm of its own
 * (its user's index, whose entry carries its end, ends it at its lifetime). What that must
 * not cost: `endSessionsForUser` still ends every session whose preparation it overlaps once the index
 * names it, and nothing of a session exists before its index entry does. Orders are forced with gates.
 */
import { runInDurableObject } from "cloudflare:test";
import type { GetTokenForRepoInput, GetTokenForRepoResult } from "@gitcred/client";
import { describe, expect, it } from "vitest";
import { gate } from "../../../test-support/gate.ts";
import { gitTokenPort } from "../src/credentials/git-token-port.ts";
import { prepareSession } from "../src/preparation/prepare-session.ts";
import { createStorageStore } from "../src/record/session-store.ts";
import { prepareSessionSchema } from "../src/schemas.ts";
import type { SessionDeps, SessionStore } from "../src/types.ts";
import {
  connect,
  objectDeps,
  seedWorld,
  sessionObject,
  sessions,
  testEnv,
  unique,
  type World,
} from "./helpers.ts";

const LIFETIME_MS = 8 * 3600_000;

/** The object's own logic on its storage, with git-token reached for real through `getTokenForRepo`. */
function depsOn(
  state: DurableObjectState,
  getTokenForRepo: (input: GetTokenForRepoInput) => Promise<GetTokenForRepoResult>,
  counts: { saves: number; alarms: number },
): SessionDeps {
  const store = createStorageStore(state.storage);
  const counted: SessionStore = {
    ...store,
    save: (record, events) => {
      counts.saves++;
      return store.save(record, events);
    },
  };
  const port = gitTokenPort(testEnv.GIT_TOKEN);
  return objectDeps(state, {
    store: counted,
    gitToken: { getTokenForRepo, getConnection: (input) => port.getConnection(input) },
    scheduleAlarm: (at) => {
      counts.alarms++;
      return state.storage.setAlarm(at);
    },
    lifetimeMs: LIFETIME_MS,
  });
}

function inputFor(world: World, sessionId: string) {
  return prepareSessionSchema.parse({
    sessionId,
    userId: world.userId,
    tenantId: world.tenantId,
    owner: world.owner,
    repo: world.repo,
    mode: "now",
  });
}

/**
 * Enters the session in the user's index, as the session's object does. Made inside the object's
 * callback: a stub made outside it is another context's I/O object.
 */
function registerIn(world: World, sessionId: string): () => Promise<boolean> {
  const index = testEnv.USER_SESSIONS.get(testEnv.USER_SESSIONS.idFromName(world.userId));
  return () => index.add(sessionId, Date.now() + LIFETIME_MS);
}

async function connectedWorld(): Promise<World> {
  const world = await seedWorld();
  expect(await connect(world)).toMatchObject({ ok: true });
  return world;
}

describe("a new session prepared now", () => {
  it("is written once: the ready record and its event in one save, no alarm; the index's alarm holds its end", async () => {
    const world = await connectedWorld();
    const sessionId = unique("sess");
    const port = gitTokenPort(testEnv.GIT_TOKEN);
    const counts = { saves: 0, alarms: 0 };
    const outcome = await runInDurableObject(sessionObject(sessionId), async (_instance, state) => {
      const deps = depsOn(state, (input) => port.getTokenForRepo(input), counts);
      const answer = await prepareSession(deps, inputFor(world, sessionId), registerIn(world, sessionId));
      const events = await deps.store.listEvents(0, 10);
      return {
        answer: answer.ok ? answer.session.state : answer.reason,
        expiresAt: answer.ok ? Date.parse(answer.session.expiresAt) : 0,
        events: events.map((e) => e.type),
        alarm: await state.storage.getAlarm(),
      };
    });
    expect(outcome).toMatchObject({ answer: "ready", events: ["prepared"], alarm: null });
    expect(counts).toEqual({ saves: 1, alarms: 0 });
    // The user's index will end it: its alarm is at the entry's end, which is no earlier than the
    // session's (the entry is made after the record's creation time is taken).
    const index = testEnv.USER_SESSIONS.get(testEnv.USER_SESSIONS.idFromName(world.userId));
    const indexAlarm = await runInDurableObject(index, (_instance, state) => state.storage.getAlarm());
    expect(indexAlarm).not.toBeNull();
    expect(indexAlarm ?? 0).toBeGreaterThanOrEqual(outcome.expiresAt);
    // The index names it: "end all" finds it.
    expect(await sessions().endSessionsForUser({ userId: world.userId })).toEqual({ ok: true, ended: 1 });
  });

  it("an endSessionsForUser while it waits for its token ends it: session_ended, and it never serves", async () => {
    const world = await connectedWorld();
    const sessionId = unique("sess");
    const port = gitTokenPort(testEnv.GIT_TOKEN);
    const registered = gate();
    const asked = gate();
    const release = gate();
    const answer = await runInDurableObject(sessionObject(sessionId), async (_instance, state) => {
      const register = registerIn(world, sessionId);
      const deps = depsOn(
        state,
        async (input) => {
          asked.open();
          await release.promise;
          return port.getTokenForRepo(input);
        },
        { saves: 0, alarms: 0 },
      );
      const preparing = prepareSession(deps, inputFor(world, sessionId), async () => {
        const ok = await register();
        registered.open();
        return ok;
      });
      await Promise.all([registered.promise, asked.promise]);
      // The index names the session; its object holds nothing yet. "End all" runs now.
      expect(await sessions().endSessionsForUser({ userId: world.userId })).toEqual({ ok: true, ended: 1 });
      release.open();
      return preparing;
    });
    expect(answer).toMatchObject({ ok: false, reason: "session_ended" });
    expect(await sessions().getGitCredentials({ sessionId, userId: world.userId })).toMatchObject({
      ok: false,
      reason: "session_ended",
    });
  });

  it("an endSessionsForUser done before its index entry exists ends nothing; the session lives and the next one ends it", async () => {
    const world = await connectedWorld();
    const sessionId = unique("sess");
    const port = gitTokenPort(testEnv.GIT_TOKEN);
    const entering = gate();
    const release = gate();
    const answer = await runInDurableObject(sessionObject(sessionId), async (_instance, state) => {
      const register = registerIn(world, sessionId);
      const deps = depsOn(state, (input) => port.getTokenForRepo(input), { saves: 0, alarms: 0 });
      const preparing = prepareSession(deps, inputFor(world, sessionId), async () => {
        entering.open();
        await release.promise;
        return register();
      });
      await entering.promise;
      // Nothing of the session exists yet (no entry, no record): the "end all" is before it, as if the
      // preparation had come later.
      expect(await sessions().endSessionsForUser({ userId: world.userId })).toEqual({ ok: true, ended: 0 });
      expect(await state.storage.get("session")).toBeUndefined();
      release.open();
      return preparing;
    });
    expect(answer).toMatchObject({ ok: true, session: { state: "ready" } });
    expect(await sessions().endSessionsForUser({ userId: world.userId })).toEqual({ ok: true, ended: 1 });
    expect(await sessions().getGitCredentials({ sessionId, userId: world.userId })).toMatchObject({
      ok: false,
      reason: "session_ended",
    });
  });
});
