/**
 * #13 §5: sessions that end. `endSession` takes back everything a sandbox had (secret, credentials,
 * event sockets) for good; a session past its absolute lifetime is refused however busy it is kept; a
 * re-prepare that rotates the secret closes the sockets opened with the old one; `endSessionsForUser`
 * ends a person's sessions without knowing their ids.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SessionDeps } from "../src/types.ts";
import { createSessionIndex } from "../src/user-index/session-index.ts";
import {
  connect,
  prepareRequest,
  prepareSessionFor,
  sandboxApi,
  seedWorld,
  sessionObject,
  sessions,
  testEnv,
  type World,
} from "./helpers.ts";
import { DEFAULT_SESSION_LIFETIME_HOURS } from "./limits.ts";

function userIndex(userId: string) {
  return testEnv.USER_SESSIONS.get(testEnv.USER_SESSIONS.idFromName(userId));
}

/** The index object's logic on its own storage, with its clock at `at` (entries are read again). */
async function clockIndex(index: ReturnType<typeof userIndex>, at: number): Promise<void> {
  await runInDurableObject(index, (instance, state) => {
    (instance as unknown as { index: unknown }).index = createSessionIndex(state.storage, () => at);
  });
}

/** Every route of the sandbox API, as the holder of `secret` calls it. */
async function everyRoute(sessionId: string, secret: string): Promise<{ status: number; reason: string }[]> {
  const calls = [
    sandboxApi(`/sessions/${sessionId}/credentials`, { method: "POST" }, secret),
    sandboxApi(`/sessions/${sessionId}/credentials/rejected`, { method: "POST", body: "{}" }, secret),
    sandboxApi(`/sessions/${sessionId}/identity`, {}, secret),
    sandboxApi(`/sessions/${sessionId}/events`, {}, secret),
    sandboxApi(`/sessions/${sessionId}/events`, { headers: { upgrade: "websocket" } }, secret),
  ];
  return Promise.all(
    calls.map(async (call) => {
      const res = await call;
      const text = await res.text();
      const reason = text.startsWith("{") ? String((JSON.parse(text) as { reason?: unknown }).reason) : text;
      return { status: res.status, reason };
    }),
  );
}

/** An event socket opened with `secret`, and a promise of its close code. */
async function openSocket(sessionId: string, secret: string) {
  const res = await sandboxApi(
    `/sessions/${sessionId}/events`,
    { headers: { upgrade: "websocket" } },
    secret,
  );
  const socket = res.webSocket;
  if (res.status !== 101 || socket === null) throw new Error(`no WebSocket: ${res.status}`);
  const closed = new Promise<number>((resolve) => {
    socket.addEventListener("close", (event) => resolve(event.code));
  });
  const messages: string[] = [];
  socket.addEventListener("message", (event) => messages.push(String(event.data)));
  socket.accept();
  return { socket, closed, messages };
}

async function connectedSession(world?: World) {
  const w = world ?? (await seedWorld());
  if (world === undefined) await connect(w);
  return { world: w, ...(await prepareSessionFor(w)) };
}

describe("endSession", () => {
  it("the ended secret gets 401 on every route, its socket is closed, and nothing comes back", async () => {
    const { world, sessionId, secret } = await connectedSession();
    const live = await openSocket(sessionId, secret);
    const ref = { sessionId, userId: world.userId };
    // Calls already under way when the session ends: none may hand out a token afterwards.
    const racing = Array.from({ length: 20 }, () => sessions().getGitCredentials(ref));
    const ended = await sessions().endSession(ref);
    expect(ended).toMatchObject({ ok: true, alreadyEnded: false });
    await Promise.all(racing);

    expect(await live.closed).toBe(4001);
    const answers = await everyRoute(sessionId, secret);
    expect(answers).toEqual(Array.from({ length: 5 }, () => ({ status: 401, reason: "session_ended" })));
    expect(await sessions().getGitCredentials(ref)).toMatchObject({ ok: false, reason: "session_ended" });
    expect(await sessions().getSession(ref)).toMatchObject({ ok: false, reason: "session_ended" });
    // Idempotent, and another user learns nothing.
    expect(await sessions().endSession(ref)).toMatchObject({ ok: true, alreadyEnded: true });
    expect(await sessions().endSession({ sessionId, userId: `${world.userId}-other` })).toMatchObject({
      ok: false,
      reason: "not_found",
    });
    // Preparing the id again does not resurrect it: no new secret, the old one still refused.
    const again = await sessions().prepareSession(prepareRequest(world, sessionId));
    expect(again).toMatchObject({ ok: false, reason: "session_ended" });
    expect((await everyRoute(sessionId, secret))[0]).toEqual({ status: 401, reason: "session_ended" });
    // Nothing but the end marker is left in storage, and the token left memory.
    const left = await runInDurableObject(sessionObject(sessionId), async (instance, state) => ({
      keys: [...(await state.storage.list()).keys()],
      held: (instance as unknown as { deps: SessionDeps }).deps.memory.held,
    }));
    expect(left).toEqual({ keys: ["ended"], held: undefined });
  });

  it("a re-prepare that rotates the secret closes the sockets opened with the old one", async () => {
    const { world, sessionId, secret } = await connectedSession();
    const old = await openSocket(sessionId, secret);
    const rotated = await sessions().prepareSession(prepareRequest(world, sessionId));
    if (!rotated.ok) throw new Error(rotated.reason);
    expect(await old.closed).toBe(4002);
    const fresh = await openSocket(sessionId, rotated.sessionSecret);
    expect((await everyRoute(sessionId, secret))[0]).toMatchObject({ status: 401, reason: "not_found" });
    // The new secret's socket stays open until the session ends.
    await sessions().endSession({ sessionId, userId: world.userId });
    expect(await fresh.closed).toBe(4001);
  });
});

describe("the absolute lifetime", () => {
  it("a session used every 30 minutes is refused at 8 h all the same (injected clock)", async () => {
    const { world, sessionId, secret, session } = await connectedSession();
    const created = Date.parse(session.createdAt);
    expect(Date.parse(session.expiresAt)).toBe(created + DEFAULT_SESSION_LIFETIME_HOURS * 3600_000);
    const clock = { now: created };
    await runInDurableObject(sessionObject(sessionId), (instance) => {
      (instance as unknown as { deps: SessionDeps }).deps.now = () => clock.now;
    });
    const step = 30 * 60_000;
    let served = 0;
    for (clock.now = created + step; clock.now < Date.parse(session.expiresAt); clock.now += step) {
      const res = await sandboxApi(`/sessions/${sessionId}/credentials`, { method: "POST" }, secret);
      expect(res.status).toBe(200);
      await res.text();
      served++;
    }
    expect(served).toBe(DEFAULT_SESSION_LIFETIME_HOURS * 2 - 1);
    clock.now = Date.parse(session.expiresAt) - 1;
    const live = await openSocket(sessionId, secret);
    clock.now = Date.parse(session.expiresAt);
    const answers = await everyRoute(sessionId, secret);
    expect(answers).toEqual(Array.from({ length: 5 }, () => ({ status: 401, reason: "session_expired" })));
    expect(await live.closed).toBe(4001);
    expect(await sessions().getGitCredentials({ sessionId, userId: world.userId })).toMatchObject({
      ok: false,
      reason: "session_expired",
    });
  });

  it("its user's index ends it at the lifetime even when nobody calls; the session holds no alarm", async () => {
    const { world, sessionId, session } = await connectedSession();
    const stub = sessionObject(sessionId);
    expect(await runInDurableObject(stub, (_i, state) => state.storage.getAlarm())).toBeNull();
    const index = userIndex(world.userId);
    const due = await runInDurableObject(index, (_i, state) => state.storage.getAlarm());
    if (due === null) throw new Error("the index set no alarm");
    expect(due).toBeGreaterThanOrEqual(Date.parse(session.expiresAt));
    // Both objects' clocks at the index's alarm.
    await runInDurableObject(stub, (instance) => {
      (instance as unknown as { deps: SessionDeps }).deps.now = () => due;
    });
    await clockIndex(index, due);
    expect(await runDurableObjectAlarm(index)).toBe(true);
    const keys = await runInDurableObject(stub, async (_i, state) => [
      ...(await state.storage.list()).keys(),
    ]);
    expect(keys).toEqual(["ended"]);
    expect(await sessions().endSession({ sessionId, userId: world.userId })).toMatchObject({
      ok: true,
      alreadyEnded: true,
    });
    // The entry is gone with it, and with nothing left the index keeps no alarm.
    const left = await runInDurableObject(index, async (_i, state) => ({
      entries: (await state.storage.list({ prefix: "session:" })).size,
      alarm: await state.storage.getAlarm(),
    }));
    expect(left).toEqual({ entries: 0, alarm: null });
  });

  it("another user's index naming a live session cannot end it: the entry moves to the session's end", async () => {
    // Mallory prepares with Alice's session id: refused (not_found), but her index now names it.
    const alice = await connectedSession();
    const mallory = await seedWorld();
    await connect(mallory);
    const refused = await sessions().prepareSession(prepareRequest(mallory, alice.sessionId));
    expect(refused).toMatchObject({ ok: false, reason: "not_found" });
    const index = userIndex(mallory.userId);
    const entry = await runInDurableObject(index, (_i, state) =>
      state.storage.get<number>(`session:${alice.sessionId}`),
    );
    if (entry === undefined) throw new Error("the premise failed: Mallory's index does not name the session");
    // Mallory's index believes the session's time has come; the session's own clock says it has not.
    await clockIndex(index, entry);
    expect(await runDurableObjectAlarm(index)).toBe(true);
    expect(
      await sessions().getGitCredentials({ sessionId: alice.sessionId, userId: alice.world.userId }),
    ).toMatchObject({ ok: true });
    const moved = await runInDurableObject(index, async (_i, state) => ({
      entry: await state.storage.get<number>(`session:${alice.sessionId}`),
      alarm: await state.storage.getAlarm(),
    }));
    // Asked again at the session's real end (the index's own clock decides when that is).
    expect(moved.entry).toBe(Date.parse(alice.session.expiresAt));
    expect(moved.alarm).not.toBeNull();
  });

  it("ends every session of the person and no one else's", async () => {
    const world = await seedWorld();
    await connect(world);
    const mine = await Promise.all([prepareSessionFor(world), prepareSessionFor(world)]);
    const other = await seedWorld();
    await connect(other);
    const theirs = await prepareSessionFor(other);
    expect(await sessions().endSessionsForUser({ userId: world.userId })).toEqual({ ok: true, ended: 2 });
    for (const s of mine) {
      expect((await everyRoute(s.sessionId, s.secret))[0]).toEqual({ status: 401, reason: "session_ended" });
    }
    expect(
      (await sandboxApi(`/sessions/${theirs.sessionId}/credentials`, { method: "POST" }, theirs.secret))
        .status,
    ).toBe(200);
    // Nothing left to end: a second call ends none.
    expect(await sessions().endSessionsForUser({ userId: world.userId })).toEqual({ ok: true, ended: 0 });
    expect(await sessions().endSessionsForUser({ userId: "" })).toMatchObject({ reason: "invalid_request" });
  });
});
