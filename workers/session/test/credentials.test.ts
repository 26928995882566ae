import { runInDurableObject } from "cloudflare:test";
import type { GitCredentials } from "@gitcred/client";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { credentialsMemo } from "../src/credentials/credentials-memo.ts";
import { getGitCredentials } from "../src/credentials/get-git-credentials.ts";
import { gitTokenPort } from "../src/credentials/git-token-port.ts";
import type { TokenMemory } from "../src/types.ts";
import {
  connect,
  objectDeps,
  prepareSessionFor,
  sandboxApi,
  seedWorld,
  sessionObject,
  sessions,
  sim,
  storeExpiringAt,
  testEnv,
  type World,
} from "./helpers.ts";
import { MIN_TOKEN_VALIDITY_MS } from "./limits.ts";

const REFRESHES = "POST /login/oauth/access_token#refresh_token";

afterEach(async () => {
  await sim.clearFaults();
});

/** The person's access tokens as the simulator issued them, oldest first. */
async function userTokensOf(world: World) {
  return (await sim.issuedTokens()).filter((t) => t.kind === "user" && t.userId === world.githubUserId);
}

/** Reads an ISO time of the simulator's clock on this machine's clock (its offset taken out). */
function onOurClock(iso: string, clock: { offsetMs: number }): number {
  return Date.parse(iso) - clock.offsetMs;
}

describe("a token about to expire", () => {
  // Two people connected through the web flow, each with a session holding their token. Then the token
  // comes within the 10-minute margin, for git-token and for the session alike, by what they store
  // rather than by waiting: git-token is told its expiry is 9 minutes away (the pair is stored again
  // with that expiry), and the session's own copy of it (held in the object's memory) carries the same.
  const worlds: { world: World; sessionId: string; first: GitCredentials }[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const world = await seedWorld();
      const connected = await connect(world);
      if (!connected.ok) throw new Error(`connect: ${connected.reason}`);
      const { sessionId } = await prepareSessionFor(world);
      const first = await sessions().getGitCredentials({ sessionId, userId: world.userId });
      if (!first.ok) throw new Error(first.reason);
      expect(first.identity).toBe("user");

      const expiresAt = Date.now() + MIN_TOKEN_VALIDITY_MS - 60_000;
      const stored = await storeExpiringAt(world, expiresAt);
      expect(stored).toMatchObject({ ok: true, replaced: "same_account" });
      expect(await testEnv.GIT_TOKEN.getConnection({ userId: world.userId })).toMatchObject({
        ok: true,
        accessTokenExpiresAt: new Date(expiresAt).toISOString(),
      });
      const held = await runInDurableObject(sessionObject(sessionId), (instance) => {
        const { memory } = instance as unknown as { memory: TokenMemory };
        if (memory.held === undefined) return undefined;
        memory.held = { ...memory.held, expiresAt };
        return memory.held;
      });
      // The entrypoint's memo still holds the first answer, given while the token was fresh (in production
      // a held token's expiry never moves under it, and the memo lapses within 2 s): it goes too.
      credentialsMemo.forget(sessionId);
      // The premise: nothing was refreshed, the session holds the very token that is about to expire.
      expect(held).toMatchObject({ token: first.token, identity: "user", expiresAt });
      expect(await userTokensOf(world)).toMatchObject([
        { token: first.token, origin: "web", status: "active" },
      ]);
      worlds.push({ world, sessionId, first });
    }
  });

  it("50 concurrent getGitCredentials: one refresh at GitHub, one answer", async () => {
    const entry = worlds[0];
    if (entry === undefined) throw new Error("no world");
    const { world, sessionId, first } = entry;
    const before = await sim.count(REFRESHES);
    const clockBefore = await sim.getClock();
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => sessions().getGitCredentials({ sessionId, userId: world.userId })),
    );
    const clockAfter = await sim.getClock();
    expect(await sim.count(REFRESHES)).toBe(before + 1);
    const tokens = new Set(answers.map((a) => (a.ok ? a.token : `failed:${a.reason}`)));
    expect(tokens.size).toBe(1);
    const [answer] = answers;
    if (answer === undefined || !answer.ok) throw new Error("no answer");
    expect(answer.token).not.toBe(first.token);
    expect(answer.identity).toBe("user");
    // The answer is the token GitHub issued by that refresh, valid for its 8 hours from then: its expiry
    // lies between the one GitHub recorded (to the second) and 8 hours after the calls returned.
    const refreshed = (await userTokensOf(world)).filter((t) => t.token === answer.token);
    expect(refreshed).toMatchObject([{ origin: "refresh", status: "active" }]);
    const [token] = refreshed;
    if (token === undefined || token.expiresAt === null) throw new Error("no refreshed token");
    const lifetime = Date.parse(token.expiresAt) - Date.parse(token.createdAt);
    expect(lifetime).toBe(8 * 3_600_000);
    expect(Date.parse(token.createdAt)).toBeGreaterThanOrEqual(
      Math.floor(Date.parse(clockBefore.now) / 1000) * 1000,
    );
    const expiresAt = Date.parse(answer.expiresAt ?? "");
    expect(expiresAt).toBeGreaterThanOrEqual(onOurClock(token.expiresAt, clockAfter));
    expect(expiresAt).toBeLessThanOrEqual(onOurClock(clockAfter.now, clockAfter) + lifetime);
    expect(expiresAt - onOurClock(clockAfter.now, clockAfter)).toBeGreaterThan(MIN_TOKEN_VALIDITY_MS);
    expect((await sim.checkToken(answer.token, world.owner, world.repo)).valid).toBe(true);
    expect((await sim.checkToken(first.token, world.owner, world.repo)).valid).toBe(false);
    const events = await sessions().getEvents({ sessionId, userId: world.userId });
    expect(events).toMatchObject({ ok: true });
    if (!events.ok) throw new Error(events.reason);
    expect(events.events.filter((e) => e.type === "token_refreshed")).toHaveLength(1);
  });

  it("a transient refresh failure answers a retry time and never downgrades", async () => {
    const entry = worlds[1];
    if (entry === undefined) throw new Error("no world");
    const { world, sessionId, first } = entry;
    await sim.injectFault({
      path: "/login/oauth/access_token",
      grantType: "refresh_token",
      status: 502,
      times: null,
    });
    const failed = await sessions().getGitCredentials({ sessionId, userId: world.userId });
    expect(failed).toMatchObject({ ok: false, reason: "github_unavailable" });
    expect(failed.ok ? 0 : (failed.retryAfterSeconds ?? 0)).toBeGreaterThan(0);
    const session = await sessions().getSession({ sessionId, userId: world.userId });
    expect(session).toMatchObject({ ok: true, session: { identity: "user", commitTrailers: [] } });
    await sim.clearFaults();
    const recovered = await sessions().getGitCredentials({ sessionId, userId: world.userId });
    expect(recovered).toMatchObject({ ok: true, identity: "user", downgraded: false });
    expect(recovered.ok && recovered.token).not.toBe(first.token);
  });
});

describe("concurrent callers inside the session object", () => {
  it("share one call to git-token and get one answer", async () => {
    const world = await seedWorld();
    await connect(world);
    const { sessionId } = await prepareSessionFor(world);
    // The object's own logic with a fresh memory (as after an eviction), git-token reached for real
    // through the binding, and a counter on the way.
    const outcome = await runInDurableObject(sessionObject(sessionId), async (_instance, state) => {
      const port = gitTokenPort(testEnv.GIT_TOKEN);
      let calls = 0;
      const deps = objectDeps(state, {
        gitToken: {
          getTokenForRepo: (input) => {
            calls++;
            return port.getTokenForRepo(input);
          },
          getConnection: (input) => port.getConnection(input),
        },
      });
      const answers = await Promise.all(
        Array.from({ length: 50 }, () => getGitCredentials(deps, { kind: "user", userId: world.userId })),
      );
      return { calls, answers: new Set(answers.map((a) => (a.ok ? a.token : a.reason))).size };
    });
    expect(outcome).toEqual({ calls: 1, answers: 1 });
  });
});

describe("who may use a session", () => {
  it("another user gets not_found; bad input gets invalid_request; other work gets session_conflict", async () => {
    const world = await seedWorld();
    await connect(world);
    const { sessionId } = await prepareSessionFor(world);
    for (const call of [
      sessions().getSession({ sessionId, userId: "someone-else" }),
      sessions().getGitCredentials({ sessionId, userId: "someone-else" }),
      sessions().getEvents({ sessionId, userId: "someone-else" }),
      sessions().refreshGitHubToken({ sessionId, userId: "someone-else", reason: "rejected" }),
      sessions().prepareSession({
        sessionId,
        userId: "someone-else",
        owner: world.owner,
        repo: world.repo,
        mode: "now",
      }),
    ]) {
      expect(await call).toMatchObject({ ok: false, reason: "not_found" });
    }
    const conflict = await sessions().prepareSession({
      sessionId,
      userId: world.userId,
      tenantId: world.tenantId,
      owner: world.owner,
      repo: "other",
      mode: "now",
    });
    expect(conflict).toMatchObject({ ok: false, reason: "session_conflict" });
    for (const bad of [
      {},
      null,
      { sessionId: "a/b", userId: world.userId },
      { sessionId, userId: world.userId, extra: 1 },
      { sessionId: "x".repeat(129), userId: world.userId },
    ]) {
      expect(await sessions().getSession(bad as never)).toMatchObject({
        ok: false,
        reason: "invalid_request",
      });
    }
    expect(
      await sessions().prepareSession({
        sessionId,
        userId: world.userId,
        owner: "../etc",
        repo: world.repo,
        mode: "now",
      }),
    ).toMatchObject({ ok: false, reason: "invalid_request" });
    expect(
      await sessions().refreshGitHubToken({
        sessionId,
        userId: world.userId,
        reason: "rejected",
        rejectedTokenSha256: "not-a-hash",
      }),
    ).toMatchObject({ ok: false, reason: "invalid_request" });
  });
});

describe("the sandbox HTTP API", () => {
  const api = (path: string, init: RequestInit = {}) => sandboxApi(path, init);
  const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

  it("answers only to the current session secret", async () => {
    const world = await seedWorld();
    await connect(world);
    const { sessionId, secret } = await prepareSessionFor(world);
    const ok = await api(`/sessions/${sessionId}/credentials`, { method: "POST", headers: bearer(secret) });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("cache-control")).toBe("no-store");
    expect(await ok.json()).toMatchObject({ ok: true, username: "x-access-token", identity: "user" });

    for (const headers of [{}, bearer("wrong"), bearer(`${secret}x`), { authorization: `Basic ${secret}` }]) {
      const denied = await api(`/sessions/${sessionId}/credentials`, { method: "POST", headers });
      expect(denied.status).toBe(401);
      const body = await denied.text();
      expect(body).not.toContain("ghu_");
    }
    expect(
      (await api(`/sessions/nope/credentials`, { method: "POST", headers: bearer(secret) })).status,
    ).toBe(401);
    expect((await api(`/sessions/${sessionId}/credentials`, { headers: bearer(secret) })).status).toBe(405);
    expect((await api(`/sessions/${sessionId}/other`, { headers: bearer(secret) })).status).toBe(404);
    expect((await api("/", {})).status).toBe(404);

    // Preparing the same session again issues a new secret; the old one stops working.
    const again = await sessions().prepareSession({
      sessionId,
      userId: world.userId,
      tenantId: world.tenantId,
      owner: world.owner.toUpperCase(),
      repo: world.repo,
      mode: "now",
    });
    if (!again.ok) throw new Error(again.reason);
    expect(again.sessionSecret).not.toBe(secret);
    const old = await api(`/sessions/${sessionId}/identity`, { headers: bearer(secret) });
    expect(old.status).toBe(401);
    const fresh = await api(`/sessions/${sessionId}/identity`, { headers: bearer(again.sessionSecret) });
    expect(await fresh.json()).toMatchObject({
      ok: true,
      identity: "user",
      commitTrailers: [],
      downgraded: false,
    });
    const events = await api(`/sessions/${sessionId}/events?after=0`, {
      headers: bearer(again.sessionSecret),
    });
    expect(await events.json()).toMatchObject({
      ok: true,
      events: [{ seq: 1, type: "prepared" }],
      lastSeq: 1,
    });
    const bad = await api(`/sessions/${sessionId}/credentials/rejected`, {
      method: "POST",
      headers: bearer(again.sessionSecret),
      body: "{not json",
    });
    expect(bad.status).toBe(400);
  });

  it("a read-only session gets a token that cannot push", async () => {
    const world = await seedWorld();
    const { sessionId } = await prepareSessionFor(world, { access: "read", prefer: "app" });
    const credentials = await sessions().getGitCredentials({ sessionId, userId: world.userId });
    if (!credentials.ok) throw new Error(credentials.reason);
    expect(credentials.identity).toBe("app");
    expect(await sim.checkToken(credentials.token, world.owner, world.repo)).toMatchObject({
      valid: true,
      pull: true,
      push: false,
    });
  });
});
