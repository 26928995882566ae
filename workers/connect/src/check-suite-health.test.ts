import { describe, expect, it } from "vitest";

describe("checkSuiteHealth", () => {
  it("says which part is down instead of failing when the database is unreachable", async () => {
    const { env } = await import("cloudflare:workers");
    const { checkSuiteHealth } = await import("./check-suite-health.ts");
    const waits: Promise<unknown>[] = [];
    const health = await checkSuiteHealth(
      { ...env, DATABASE_URL: "postgres://nobody@127.0.0.1:1/none", DB_WS_PROXY: env.DB_WS_PROXY },
      (p) => waits.push(p),
    );
    await Promise.allSettled(waits);
    expect(health.ok).toBe(false);
    expect(health.workers[0]).toEqual({
      worker: "gitcred-connect",
      ok: false,
      database: "database_unavailable",
    });
    expect(health.workers[1]?.ok).toBe(true);
  });
});
