import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { useDatabase } from "../test/helpers.ts";
import { compareAndSetUserToken } from "./compare-and-set-user-token.ts";
import { githubUserTokens } from "./schema.ts";

const open = useDatabase();

async function insertRow(userId: string, githubUserId: number) {
  await open()
    .insert(githubUserTokens)
    .values({
      userId,
      connectionId: crypto.randomUUID(),
      githubUserId,
      githubLogin: `login-${githubUserId}`,
      accessTokenEnc: "v1.k.iv.original",
    });
}

describe("compareAndSetUserToken", () => {
  it("lets exactly one of many concurrent writers with the same version win", async () => {
    await insertRow("race-user", 9001);
    const writers = Array.from({ length: 20 }, (_, i) =>
      // each writer uses its own pool, as separate requests would
      compareAndSetUserToken(open(), "race-user", 1, { accessTokenEnc: `v1.k.iv.writer-${i}` }),
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
    await insertRow("stale-user", 9002);
    const first = await compareAndSetUserToken(open(), "stale-user", 1, { status: "reconnect_required" });
    expect(first?.version).toBe(2);
    const stale = await compareAndSetUserToken(open(), "stale-user", 1, { status: "active" });
    expect(stale).toBeUndefined();
    const [row] = await open()
      .select()
      .from(githubUserTokens)
      .where(eq(githubUserTokens.userId, "stale-user"));
    expect(row?.status).toBe("reconnect_required");
  });

  it("does nothing for a user without a row", async () => {
    expect(await compareAndSetUserToken(open(), "nobody", 1, { status: "active" })).toBeUndefined();
  });
});
