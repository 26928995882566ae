import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { useDatabase } from "../test/helpers.ts";
import { hitRateLimit } from "./hit-rate-limit.ts";
import { pruneRateLimits } from "./prune-rate-limits.ts";
import { rateLimits } from "./schema.ts";

const open = useDatabase();

const T0 = new Date("2026-01-01T00:00:00Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describe("hitRateLimit", () => {
  it("admits exactly `limit` of 20 concurrent hits (each on its own pool), whatever their interleaving", async () => {
    const hits = await Promise.all(
      Array.from({ length: 20 }, () =>
        hitRateLimit(open(), { bucket: "race", userId: "u-race", limit: 3, windowSeconds: 600, now: T0 }),
      ),
    );
    expect(hits.filter((h) => h.ok)).toHaveLength(3);
    for (const h of hits.filter((h) => !h.ok)) expect(h).toEqual({ ok: false, retryAfterSeconds: 600 });
  });

  it("answers the time left in the window, and admits again once it ended (injected clock)", async () => {
    const input = { bucket: "window", userId: "u-window", limit: 1, windowSeconds: 600 };
    expect(await hitRateLimit(open(), { ...input, now: at(0) })).toEqual({ ok: true, count: 1 });
    expect(await hitRateLimit(open(), { ...input, now: at(450) })).toEqual({
      ok: false,
      retryAfterSeconds: 150,
    });
    expect(await hitRateLimit(open(), { ...input, now: at(600) })).toEqual({ ok: true, count: 1 });
  });

  it("prunes counters whose window started before the cut-off", async () => {
    await hitRateLimit(open(), { bucket: "old", userId: "u-old", limit: 1, windowSeconds: 60, now: at(0) });
    await hitRateLimit(open(), {
      bucket: "new",
      userId: "u-new",
      limit: 1,
      windowSeconds: 60,
      now: at(7200),
    });
    expect(await pruneRateLimits(open(), at(3600))).toBeGreaterThanOrEqual(1);
    expect(await open().select().from(rateLimits).where(eq(rateLimits.bucket, "old"))).toEqual([]);
    expect(await open().select().from(rateLimits).where(eq(rateLimits.bucket, "new"))).toHaveLength(1);
  });
});
