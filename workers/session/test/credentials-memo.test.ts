/**
 * SessionService answers a warm getGitCredentials from its isolate's memo (`credentials-memo.ts`, at most
 * 2 s), so a warm call is one RPC hop as ping is (P2, #17). What that must not cost: through this isolate,
 * an end and a rejected-token report take effect at once; the object decides what may be reused.
 */
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { TokenMemory } from "../src/types.ts";
import { connect, prepareSessionFor, seedWorld, sessionObject, sessions, sha256, sim } from "./helpers.ts";

/** Puts another token in the object's memory, so an answer shows whether the object was asked. */
async function swapHeldToken(sessionId: string, token: string): Promise<void> {
  await runInDurableObject(sessionObject(sessionId), (instance) => {
    const { memory } = instance as unknown as { memory: TokenMemory };
    if (memory.held !== undefined) memory.held = { ...memory.held, token };
  });
}

describe("warm getGitCredentials from the entrypoint's memo", () => {
  it("a repeat is answered without the object; an end through this isolate answers session_ended at once", async () => {
    const world = await seedWorld();
    await connect(world);
    const { sessionId } = await prepareSessionFor(world);
    const ref = { sessionId, userId: world.userId };
    const first = await sessions().getGitCredentials(ref);
    expect(first).toMatchObject({ ok: true, identity: "user" });
    await swapHeldToken(sessionId, "ghu_not-asked-for");
    expect(await sessions().getGitCredentials(ref)).toEqual(first);
    // Another user never gets the memoized answer.
    expect(await sessions().getGitCredentials({ sessionId, userId: "someone-else" })).toMatchObject({
      ok: false,
      reason: "not_found",
    });
    expect(await sessions().endSession(ref)).toMatchObject({ ok: true });
    expect(await sessions().getGitCredentials(ref)).toMatchObject({ ok: false, reason: "session_ended" });
  });

  it("a rejected-token report through this isolate: the refused token is not answered again", async () => {
    const world = await seedWorld();
    await connect(world);
    const { sessionId } = await prepareSessionFor(world);
    const ref = { sessionId, userId: world.userId };
    const first = await sessions().getGitCredentials(ref);
    if (!first.ok) throw new Error(first.reason);
    await sim.revokeToken(first.token);
    const reported = await sessions().refreshGitHubToken({
      ...ref,
      reason: "rejected",
      rejectedTokenSha256: await sha256(first.token),
    });
    // The refused token is dead at GitHub: git-token refreshes the person's pair, a new token.
    if (!reported.ok) throw new Error(reported.reason);
    expect(reported.token).not.toBe(first.token);
    const next = await sessions().getGitCredentials(ref);
    expect(next).toMatchObject({ ok: true, token: reported.token });
  });
});
