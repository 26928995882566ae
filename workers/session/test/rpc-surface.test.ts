/**
 * Who may call what is decided by which methods an entrypoint has, so each of the session worker's
 * entrypoints and objects must have no method besides the ones it means to expose. Workers RPC reaches
 * every method on the prototype chain, TypeScript's `private` included: SessionService's helpers once
 * sat there, and `userIndex(userId)` handed any platform (and the connect worker) the index object of
 * any person, whose entries it could remove so that the person's "end my sessions" missed a live one.
 */
import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callAnyway, rpcSurface } from "../../../test-support/workerd/rpc-surface.ts";
import { CloudAgentSession } from "../src/cloud-agent-session.ts";
import { SessionService } from "../src/index.ts";
import { SessionConnect } from "../src/session-connect.ts";
import { UserSessionIndex } from "../src/user-index/user-session-index.ts";
import { connect, prepareSessionFor, sandboxApi, seedWorld, sessions } from "./helpers.ts";

const sorted = (names: readonly string[]) => [...names].sort();

describe("the session worker's RPC surface", () => {
  it("SessionService has the platform's methods and SessionConnect the connect worker's, no helper", () => {
    expect(rpcSurface(SessionService, WorkerEntrypoint)).toEqual(
      sorted([
        "health",
        "ping",
        "prepareSession",
        "getSession",
        "getGitCredentials",
        "refreshGitHubToken",
        "getEvents",
        "endSession",
        "endSessionsForUser",
        "fetch",
      ]),
    );
    expect(rpcSurface(SessionConnect, WorkerEntrypoint)).toEqual(
      sorted(["health", "endSessionsForUser", "fetch"]),
    );
  });

  it("the objects have what SessionService and the runtime call, nothing else", () => {
    expect(rpcSurface(CloudAgentSession, DurableObject)).toEqual(
      sorted([
        "prepare",
        "session",
        "credentials",
        "reusableCredentials",
        "refresh",
        "events",
        "identity",
        "end",
        "expireIfOver",
        "gitProxy",
        "authorize",
        "alarm",
        "fetch",
        "webSocketMessage",
        "webSocketClose",
        "webSocketError",
      ]),
    );
    expect(rpcSurface(UserSessionIndex, DurableObject)).toEqual(sorted(["add", "list", "remove", "alarm"]));
  });

  it("a platform cannot reach a person's index to hide a live session from their 'end my sessions'", async () => {
    const alice = await seedWorld();
    await connect(alice);
    const live = await prepareSessionFor(alice);
    const platform = sessions();
    // The attack: take Alice's index and forget her session in it, then let her end "all" of them.
    await expect(
      callAnyway(platform, "userIndex", alice.userId).then((index) =>
        callAnyway(index, "remove", [live.sessionId]),
      ),
    ).rejects.toThrow(/does not implement/);
    await expect(
      callAnyway(
        platform,
        "call",
        { safeParse: () => ({ success: true }) },
        { sessionId: live.sessionId },
        () => 1,
      ),
    ).rejects.toThrow(/does not implement/);
    await expect(
      callAnyway(platform, "gitProxy", new Request("http://x/git/"), "http://x/git/"),
    ).rejects.toThrow(/does not implement/);
    expect(await platform.endSessionsForUser({ userId: alice.userId })).toEqual({ ok: true, ended: 1 });
    const after = await sandboxApi(
      `/sessions/${live.sessionId}/credentials`,
      { method: "POST" },
      live.secret,
    );
    expect(after.status).toBe(401);
  });
});
