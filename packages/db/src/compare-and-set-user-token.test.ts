import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { useDatabase } from "../test/helpers.ts";
import { compareAndSetUserToken } from "./compare-and-set-user-token.ts";
import { githubUserTokens } from "./schema.ts";

const open = useDatabase();

/** A new connection's row (version 1); answers its connection id. */
async function insertRow(userId: string, githubUserId: number): Promise<string> {
  const connectionId = crypto.randomUUID();
  await open()
    .insert(githubUserTokens)
    .values({
      userId,
      connectionId,
      githubUserId,
      githubLogin: `login-${githubUserId}`,
      accessTokenEnc: "v1.k.iv.original",
    });
  return connectionId;
}

describe("compareAndSetUserToken", () => {
  it("lets exactly one of many concurrent writers with the same version win", async () => {
    const connectionId = await insertRow("race-user", 9001);
    const writers = Array.from({ length: 20 }, (_, i) =>
      // each writer uses its own pool, as separate requests would
      compareAndSetUserToken(
        open(),
        "race-user",
        { connectionId, version: 1 },
        { accessTokenEnc: `v1.k.iv.writer-${i}` },
      ),
    );
    const results = await Promise.all(writers);
    const winners = results.filter((r) => r !== undefined);
    expect(winners).toHaveLength(1);
    const [row] = await open()
      .select()
      .from(githubUserTokens)
      .where(eq(githubUserTokens.userId, "race-user"));
    expect(row?.version).toBe(2);
    expect(row?.accessTokenEnc).toBe(winners[0]?.accessTokenEnc);
  });

  it("refuses a stale version after a successful write", async () => {
    const connectionId = await insertRow("stale-user", 9002);
    const first = await compareAndSetUserToken(
      open(),
      "stale-user",
      { connectionId, version: 1 },
      { status: "reconnect_required" },
    );
    expect(first?.version).toBe(2);
    const stale = await compareAndSetUserToken(
      open(),
      "stale-user",
      { connectionId, version: 1 },
      { status: "active" },
    );
    expect(stale).toBeUndefined();
    const [row] = await open()
      .select()
      .from(githubUserTokens)
      .where(eq(githubUserTokens.userId, "stale-user"));
    expect(row?.status).toBe("reconnect_required");
  });

  it("refuses a write meant for an earlier connection whose row versions the new one starts again", async () => {
    // A disconnect deletes the row; a connect inserts the next one at version 1.
    const earlier = await insertRow("reconnected-user", 9003);
    await open().delete(githubUserTokens).where(eq(githubUserTokens.userId, "reconnected-user"));
    const current = await insertRow("reconnected-user", 9003);
    const meantForEarlier = await compareAndSetUserToken(
      open(),
      "reconnected-user",
      { connectionId: earlier, version: 1 },
      { accessTokenEnc: "v1.k.iv.earlier-pair" },
    );
    expect(meantForEarlier).toBeUndefined();
    const [row] = await open()
      .select()
      .from(githubUserTokens)
      .where(eq(githubUserTokens.userId, "reconnected-user"));
    expect(row).toMatchObject({ connectionId: current, version: 1, accessTokenEnc: "v1.k.iv.original" });
  });

  it("does nothing for a user without a row", async () => {
    expect(
      await compareAndSetUserToken(
        open(),
        "nobody",
        { connectionId: crypto.randomUUID(), version: 1 },
        { status: "active" },
      ),
    ).toBeUndefined();
  });
});
