/**
 * A new connection whose database write fails (Postgres refuses it as a cut connection would): the token
 * GitHub just issued is stored nowhere, so it is revoked rather than left live; the person connects again.
 */
import { afterEach, describe, expect, it } from "vitest";
import { connect, issued, letWritesThrough, refuseWrites, seedWorld, tokenRow } from "./helpers.ts";

afterEach(letWritesThrough);

describe("a connection that could not be stored", () => {
  it("answers database_unavailable, revokes the new token and stores nothing; connecting again works", async () => {
    const world = await seedWorld();
    await refuseWrites(world.userId);
    expect(await connect(world.userId, world.login)).toMatchObject({
      ok: false,
      reason: "database_unavailable",
    });
    expect(await tokenRow(world.userId)).toBeUndefined();
    const issuedBefore = await issued({ kind: "user", userId: world.githubUserId });
    expect(issuedBefore).toHaveLength(1);
    await expect
      .poll(async () => (await issued({ kind: "user", userId: world.githubUserId }))[0]?.status)
      .not.toBe("active");
    await letWritesThrough();
    expect(await connect(world.userId, world.login)).toMatchObject({ ok: true, replaced: "none" });
    expect((await tokenRow(world.userId))?.status).toBe("active");
  });
});
