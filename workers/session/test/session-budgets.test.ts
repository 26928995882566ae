/**
 * #13 §3 and §6, the session's share: a flood of rejection reports for one token costs one settle at
 * GitHub; a request body is read only after the secret was accepted, and only up to its cap; and the
 * session object never stores the person's name or e-mail, so `deleteUserData` leaves nothing of them.
 */
import { abortAllDurableObjects, runInDurableObject } from "cloudflare:test";
import type { SessionCredentialsBody } from "@gitcred/client";
import { afterEach, describe, expect, it } from "vitest";
import { handleSessionHttp } from "../src/http/http-api.ts";
import {
  connect,
  prepareSessionFor,
  sandboxApi,
  seedWorld,
  sessionObject,
  sessions,
  sha256,
  sim,
  testEnv,
} from "./helpers.ts";

const CHECK_ROUTE = "POST /applications/{client_id}/token";
const REPO_ROUTE = "GET /repos/{owner}/{repo}";

afterEach(async () => {
  await sim.clearFaults();
});

describe("rejection reports", () => {
  it("30 concurrent and 10 later reports of a token GitHub accepts: one settle, one repository check", async () => {
    const world = await seedWorld();
    await connect(world);
    const { sessionId, secret } = await prepareSessionFor(world);
    const first = (await (
      await sandboxApi(`/sessions/${sessionId}/credentials`, { method: "POST" }, secret)
    ).json()) as SessionCredentialsBody;
    const body = JSON.stringify({ tokenSha256: await sha256(first.token) });
    const before = { checks: await sim.count(CHECK_ROUTE), repos: await sim.count(REPO_ROUTE) };
    const report = async () => {
      const res = await sandboxApi(
        `/sessions/${sessionId}/credentials/rejected`,
        { method: "POST", body },
        secret,
      );
      return ((await res.json()) as SessionCredentialsBody).token;
    };
    const concurrent = await Promise.all(Array.from({ length: 30 }, report));
    const later: string[] = [];
    for (let i = 0; i < 10; i++) later.push(await report());
    // Every report got the same, still valid token back, and GitHub was asked once.
    expect(new Set([...concurrent, ...later])).toEqual(new Set([first.token]));
    expect((await sim.count(CHECK_ROUTE)) - before.checks).toBe(1);
    expect((await sim.count(REPO_ROUTE)) - before.repos).toBeLessThanOrEqual(1);
  });
});

/** A body that counts how many chunks were pulled from it (none until someone reads). */
function countingBody(totalBytes: number) {
  let pulled = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        pulled++;
        controller.enqueue(new TextEncoder().encode(" ".repeat(512)));
        if (pulled * 512 >= totalBytes) controller.close();
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => pulled };
}

describe("request bodies", () => {
  it("are not read without the session's secret, nor beyond 1 KiB with it", async () => {
    const world = await seedWorld();
    await connect(world);
    const { sessionId, secret } = await prepareSessionFor(world);
    const url = `http://session.test/sessions/${sessionId}/credentials/rejected`;
    const send = async (headers: Record<string, string>, totalBytes: number) => {
      const body = countingBody(totalBytes);
      const res = await handleSessionHttp(
        new Request(url, { method: "POST", headers, body: body.stream }),
        testEnv.SESSIONS,
      );
      return { status: res.status, pulled: body.pulled() };
    };
    // No secret, a wrong one, a session that does not exist: refused, not a byte read.
    expect(await send({}, 1 << 20)).toEqual({ status: 401, pulled: 0 });
    expect(await send({ authorization: "Bearer wrong-secret" }, 1 << 20)).toEqual({ status: 401, pulled: 0 });
    // The right secret with a declared size above the cap: refused unread.
    expect(await send({ authorization: `Bearer ${secret}`, "content-length": "5000000" }, 1 << 20)).toEqual({
      status: 413,
      pulled: 0,
    });
    // The right secret, no declared size, 1 MiB sent: read up to the cap, then refused.
    const chunked = await send({ authorization: `Bearer ${secret}` }, 1 << 20);
    expect(chunked.status).toBe(413);
    expect(chunked.pulled).toBeLessThanOrEqual(3);
    // A report within the cap still works.
    const small = await sandboxApi(
      `/sessions/${sessionId}/credentials/rejected`,
      { method: "POST", body: "{}" },
      secret,
    );
    expect(small.status).toBe(200);
  });
});

/** Everything a session object stores, as one string. */
function storedText(sessionId: string): Promise<string> {
  return runInDurableObject(sessionObject(sessionId), async (_instance, state) =>
    JSON.stringify([...(await state.storage.list())]),
  );
}

describe("the person's name and e-mail", () => {
  it("are never stored by a session object, and after deleteUserData nothing names them", async () => {
    const world = await seedWorld();
    await connect(world);
    const email = `${world.githubUserId}+${world.login}@users.noreply.github.com`;
    const { sessionId, secret, session } = await prepareSessionFor(world);
    // The platform still sees who commits (from git-token, held in memory only).
    expect(session.author).toEqual({ name: world.name, email });
    const creds = (await (
      await sandboxApi(`/sessions/${sessionId}/credentials`, { method: "POST" }, secret)
    ).json()) as SessionCredentialsBody;
    expect(creds.author).toEqual({ name: world.name, email });
    const whileThePersonCommits = await storedText(sessionId);
    // Downgraded: the bot commits, the person is the co-author, and still nothing of them is stored.
    await sim.revokeGrant(Number(testEnv.GITHUB_APP_ID), world.login, { webhook: false });
    const after = (await (
      await sandboxApi(
        `/sessions/${sessionId}/credentials/rejected`,
        { method: "POST", body: JSON.stringify({ tokenSha256: await sha256(creds.token) }) },
        secret,
      )
    ).json()) as SessionCredentialsBody;
    expect(after).toMatchObject({
      identity: "app",
      commitTrailers: [`Co-authored-by: ${world.name} <${email}>`],
    });
    for (const text of [whileThePersonCommits, await storedText(sessionId)]) {
      expect(text).not.toContain(world.name);
      expect(text).not.toContain(email);
      expect(text).not.toContain(world.login);
    }

    expect(await testEnv.GIT_TOKEN_ADMIN.deleteUserData({ userId: world.userId })).toMatchObject({
      ok: true,
    });
    // Whatever the object remembered is gone with its memory (at the latest PERSON_MEMO_MS later).
    await abortAllDurableObjects();
    const identity = await sessions().getSession({ sessionId, userId: world.userId });
    expect(identity).toMatchObject({ ok: true, session: { identity: "app", commitTrailers: [] } });
    const text = JSON.stringify(identity) + (await storedText(sessionId));
    expect(text).not.toContain(world.name);
    expect(text).not.toContain(email);
  });
});
