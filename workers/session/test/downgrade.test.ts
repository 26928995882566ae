import { abortAllDurableObjects } from "cloudflare:test";
import type { SessionCredentialsBody, SessionEvent, SessionIdentityBody } from "@gitcred/client";
import { afterEach, describe, expect, it } from "vitest";
import {
  connect,
  prepareSessionFor,
  sandboxApi,
  seedWorld,
  sessions,
  sha256,
  sim,
  testEnv,
} from "./helpers.ts";

const api = (path: string, secret: string, init: RequestInit = {}) => sandboxApi(path, init, secret);

/** Subscribes to the session's events over the WebSocket API and collects what arrives. */
async function subscribe(sessionId: string, secret: string) {
  const res = await api(`/sessions/${sessionId}/events`, secret, { headers: { upgrade: "websocket" } });
  const socket = res.webSocket;
  if (res.status !== 101 || socket === null) throw new Error(`no WebSocket: ${res.status}`);
  socket.accept();
  const received: SessionEvent[] = [];
  const waiters: (() => void)[] = [];
  socket.addEventListener("message", (message) => {
    received.push(JSON.parse(String(message.data)) as SessionEvent);
    for (const wake of waiters.splice(0)) wake();
  });
  return {
    received,
    /** The first event of `type`: woken by each message that arrives, never by a clock. */
    async next(type: string): Promise<SessionEvent> {
      for (;;) {
        const found = received.find((event) => event.type === type);
        if (found !== undefined) return found;
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
        });
      }
    },
    close: () => socket.close(1000, "done"),
  };
}

afterEach(async () => {
  await sim.clearFaults();
});

describe("a refused person's token", () => {
  it("revoked grant: the session downgrades once, to the App's bot with the person as co-author", async () => {
    const world = await seedWorld();
    await connect(world);
    const { sessionId, secret } = await prepareSessionFor(world);
    const subscriber = await subscribe(sessionId, secret);
    const first = (await (
      await api(`/sessions/${sessionId}/credentials`, secret, { method: "POST" })
    ).json()) as SessionCredentialsBody | { ok: false };
    if (!first.ok) throw new Error("no credentials");
    expect(first.identity).toBe("user");

    expect(await sim.revokeGrant(Number(testEnv.GITHUB_APP_ID), world.login, { webhook: false })).toBe(true);
    expect((await sim.checkToken(first.token, world.owner, world.repo)).valid).toBe(false);

    // 20 sandboxes report the same refusal at once: one downgrade, one answer.
    const tokenSha256 = await sha256(first.token);
    const reports = await Promise.all(
      Array.from({ length: 20 }, () =>
        api(`/sessions/${sessionId}/credentials/rejected`, secret, {
          method: "POST",
          body: JSON.stringify({ tokenSha256 }),
        }).then((res) => res.json() as Promise<SessionCredentialsBody>),
      ),
    );
    const tokens = new Set(reports.map((r) => r.token));
    expect(tokens.size).toBe(1);
    const [after] = reports;
    if (after === undefined) throw new Error("no report answer");
    expect(after).toMatchObject({ ok: true, identity: "app", downgraded: true });
    const slug = testEnv.GITHUB_APP_SLUG;
    expect(after.author.name).toBe(`${slug}[bot]`);
    expect(after.author.email).toMatch(
      new RegExp(`^\\d+\\+${slug}\\[bot\\]@users\\.noreply\\.github\\.com$`),
    );
    const coAuthor = `Co-authored-by: ${world.name} <${world.githubUserId}+${world.login}@users.noreply.github.com>`;
    expect(after.commitTrailers).toEqual([coAuthor]);
    const appCheck = await sim.checkToken(after.token, world.owner, world.repo);
    expect(appCheck).toMatchObject({ valid: true, kind: "installation", push: true });

    // Live to the subscriber, and exactly once in the log, also after the object lost its memory.
    const live = await subscriber.next("downgraded");
    expect(live).toMatchObject({ reason: "token_revoked", level: "warning", identity: "app" });
    subscriber.close();
    // The object is torn down (memory gone, storage kept), as an eviction or a crash would.
    await abortAllDurableObjects();
    const again = await api(`/sessions/${sessionId}/credentials/rejected`, secret, {
      method: "POST",
      body: JSON.stringify({ tokenSha256 }),
    });
    expect(((await again.json()) as SessionCredentialsBody).identity).toBe("app");
    const events = await sessions().getEvents({ sessionId, userId: world.userId });
    if (!events.ok) throw new Error(events.reason);
    expect(events.events.filter((e) => e.type === "downgraded")).toHaveLength(1);
    expect(events.events.find((e) => e.type === "downgraded")?.seq).toBe(live.seq);

    const identity = (await (
      await api(`/sessions/${sessionId}/identity`, secret)
    ).json()) as SessionIdentityBody;
    expect(identity).toEqual({
      ok: true,
      identity: "app",
      author: after.author,
      commitTrailers: [coAuthor],
      downgraded: true,
    });
    const snapshot = await sessions().getSession({ sessionId, userId: world.userId });
    expect(snapshot).toMatchObject({
      ok: true,
      session: { identity: "app", fallbackReason: "token_revoked" },
    });
  });

  it("GitHub down while checking the refused token: no downgrade, a retry time", async () => {
    const world = await seedWorld();
    await connect(world);
    const { sessionId, secret } = await prepareSessionFor(world);
    const creds = await sessions().getGitCredentials({ sessionId, userId: world.userId });
    if (!creds.ok) throw new Error(creds.reason);
    await sim.revokeGrant(Number(testEnv.GITHUB_APP_ID), world.login, { webhook: false });
    // GitHub's API is down: git-token's check of the refused token and the session's own both fail.
    await sim.injectFault({
      path: `/repos/${world.owner}/${world.repo}`,
      method: "GET",
      status: 503,
      times: null,
    });
    await sim.injectFault({
      path: `/applications/${testEnv.GITHUB_CLIENT_ID}/token`,
      method: "POST",
      status: 503,
      times: null,
    });

    const res = await api(`/sessions/${sessionId}/credentials/rejected`, secret, {
      method: "POST",
      body: JSON.stringify({ tokenSha256: await sha256(creds.token) }),
    });
    expect(res.status).toBe(503);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await res.json()).toMatchObject({ ok: false, reason: "github_unavailable" });
    const rpc = await sessions().refreshGitHubToken({
      sessionId,
      userId: world.userId,
      reason: "rejected",
      rejectedTokenSha256: await sha256(creds.token),
    });
    expect(rpc).toMatchObject({ ok: false, reason: "github_unavailable" });
    const session = await sessions().getSession({ sessionId, userId: world.userId });
    expect(session).toMatchObject({ ok: true, session: { identity: "user", commitTrailers: [] } });
    const events = await sessions().getEvents({ sessionId, userId: world.userId });
    expect(events).toMatchObject({ ok: true });
    if (!events.ok) throw new Error(events.reason);
    // Both refusals are in the log; a downgrade is not.
    const types = events.events.map((e) => e.type);
    expect(types.filter((type) => type === "credential_rejected")).toHaveLength(2);
    expect(types).not.toContain("downgraded");
    expect(await testEnv.GIT_TOKEN.getConnection({ userId: world.userId })).toMatchObject({
      ok: true,
      status: "active",
    });

    // GitHub is back: the refusal is confirmed and only now the session downgrades.
    await sim.clearFaults();
    const confirmed = await sessions().refreshGitHubToken({
      sessionId,
      userId: world.userId,
      reason: "rejected",
      rejectedTokenSha256: await sha256(creds.token),
    });
    expect(confirmed).toMatchObject({ ok: true, identity: "app", downgraded: true });
  });

  it("a refusal marks the person's connection at git-token: other sessions never get the dead token", async () => {
    const world = await seedWorld();
    await connect(world);
    const first = await prepareSessionFor(world);
    const creds = await sessions().getGitCredentials({ sessionId: first.sessionId, userId: world.userId });
    if (!creds.ok) throw new Error(creds.reason);
    await sim.revokeGrant(Number(testEnv.GITHUB_APP_ID), world.login, { webhook: false });
    const checks = await sim.count("POST /applications/{client_id}/token");

    const res = await api(`/sessions/${first.sessionId}/credentials/rejected`, first.secret, {
      method: "POST",
      body: JSON.stringify({ tokenSha256: await sha256(creds.token) }),
    });
    expect(await res.json()).toMatchObject({ ok: true, identity: "app", downgraded: true });
    // git-token checked the refused token itself (once) and marked the connection.
    expect(await sim.count("POST /applications/{client_id}/token")).toBe(checks + 1);
    expect(await testEnv.GIT_TOKEN.getConnection({ userId: world.userId })).toMatchObject({
      ok: true,
      connected: true,
      status: "reconnect_required",
    });
    const events = await sessions().getEvents({ sessionId: first.sessionId, userId: world.userId });
    if (!events.ok) throw new Error(events.reason);
    expect(events.events.filter((e) => e.type === "downgraded")).toMatchObject([{ reason: "token_revoked" }]);

    // A session prepared afterwards starts with the App's token: the dead one is not handed out again.
    const second = await prepareSessionFor(world);
    const snapshot = await sessions().getSession({ sessionId: second.sessionId, userId: world.userId });
    expect(snapshot).toMatchObject({
      ok: true,
      session: { identity: "app", fallbackReason: "reconnect_required" },
    });
    const later = await sessions().getGitCredentials({ sessionId: second.sessionId, userId: world.userId });
    expect(later).toMatchObject({ ok: true, identity: "app" });
    if (later.ok) expect(later.token).not.toBe(creds.token);
  });

  it("a token GitHub still accepts is handed out again, without a downgrade", async () => {
    const world = await seedWorld();
    await connect(world);
    const { sessionId } = await prepareSessionFor(world);
    const creds = await sessions().getGitCredentials({ sessionId, userId: world.userId });
    if (!creds.ok) throw new Error(creds.reason);
    const again = await sessions().refreshGitHubToken({
      sessionId,
      userId: world.userId,
      reason: "rejected",
      rejectedTokenSha256: await sha256(creds.token),
    });
    expect(again).toMatchObject({ ok: true, identity: "user", token: creds.token, downgraded: false });
  });

  it("a person who lost the repository gets no_repo_access, never the App's token", async () => {
    const world = await seedWorld();
    await connect(world);
    const { sessionId } = await prepareSessionFor(world);
    const creds = await sessions().getGitCredentials({ sessionId, userId: world.userId });
    if (!creds.ok) throw new Error(creds.reason);
    await sim.setCollaborator(world.owner, world.repo, world.login, null);
    const refused = await sessions().refreshGitHubToken({
      sessionId,
      userId: world.userId,
      reason: "rejected",
      rejectedTokenSha256: await sha256(creds.token),
    });
    expect(refused).toMatchObject({ ok: false, reason: "no_repo_access" });
    const session = await sessions().getSession({ sessionId, userId: world.userId });
    expect(session).toMatchObject({ ok: true, session: { identity: "user" } });
  });
});
