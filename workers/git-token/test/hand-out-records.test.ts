/**
 * Credential hand-outs (`getTokenForRepo` with a `sessionId`) are recorded after the answer, in batches
 * (`activity/hand-out-writes.ts`): the token never waits for Postgres, concurrent hand-outs share one
 * statement, and yet nothing is lost or late where it matters — the person's activity read by this
 * isolate lists every one, and an erasure never runs ahead of a row still on its way in.
 */
import { env } from "cloudflare:workers";
import { auditEvents } from "@gitcred/db";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { admin, connect, connectBackend, database, seedWorld, service, unique } from "./helpers.ts";

/** Concurrent hand-outs in one go, as a platform preparing a fleet of sessions. */
const CALLS = 24;

async function connectionsOpened(): Promise<number> {
  const response = await fetch(`http://${env.DB_WS_PROXY}/stats`);
  const { opened } = (await response.json()) as { opened: number };
  return opened;
}

async function warmPerson() {
  const world = await seedWorld();
  expect(await connect(world.userId, world.login)).toMatchObject({ ok: true });
  const input = { userId: world.userId, owner: world.owner, repo: world.repos[0]!, access: "write" as const };
  // The warm-up hand-out fills the memo and the repo-access cache (no sessionId: nothing recorded).
  expect(await service().getTokenForRepo(input)).toMatchObject({ ok: true, source: "user" });
  return { world, input };
}

describe("hand-out records", () => {
  it("concurrent hand-outs are all listed at once, written with fewer connections than calls", async () => {
    const { world, input } = await warmPerson();
    const sessions = Array.from({ length: CALLS }, () => unique("sess"));
    const before = await connectionsOpened();
    const answers = await Promise.all(
      sessions.map((sessionId) => service("gitcred-session").getTokenForRepo({ ...input, sessionId })),
    );
    expect(answers.every((a) => a.ok && a.source === "user")).toBe(true);

    const listed = await connectBackend().listActivity({ userId: world.userId, limit: 50 });
    if (!listed.ok) throw new Error(listed.reason);
    const handOuts = listed.events.filter((e) => e.kind === "credential_handed_out");
    expect(new Set(handOuts.map((e) => e.sessionId))).toEqual(new Set(sessions));
    expect(handOuts).toHaveLength(CALLS);
    // The warm calls themselves open nothing; the rows went in batches, not one connection each.
    expect((await connectionsOpened()) - before).toBeLessThan(CALLS / 2);
  });

  it("an erasure right after a hand-out leaves no row naming the person (the row is written first)", async () => {
    const { world, input } = await warmPerson();
    const answer = await service("gitcred-session").getTokenForRepo({ ...input, sessionId: unique("sess") });
    expect(answer).toMatchObject({ ok: true });
    expect(await admin().deleteUserData({ userId: world.userId })).toMatchObject({ ok: true });
    const rows = await database().select().from(auditEvents).where(eq(auditEvents.userId, world.userId));
    expect(rows).toEqual([]);
  });
});
