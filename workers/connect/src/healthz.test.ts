import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { SuiteHealth } from "./healthz.ts";

describe("GET /healthz", () => {
  it("reports every worker healthy, reached over the real service bindings and database", async () => {
    const res = await exports.default.fetch("http://connect.test/healthz");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as SuiteHealth;
    expect(body.ok).toBe(true);
    expect(body.workers.map((w) => [w.worker, w.ok])).toEqual([
      ["gitcred-connect", true],
      ["gitcred-git-token", true],
      ["gitcred-session", true],
    ]);
    expect(body.workers[1]?.database).toBe("ok");
    expect(body.workers[2]?.gitToken).toBe("ok");
  });
});

describe("GET /healthz under a flood", () => {
  it("concurrent requests share one measured answer instead of each opening database connections", async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => exports.default.fetch("http://connect.test/healthz")),
    );
    const bodies = (await Promise.all(answers.map((res) => res.json()))) as SuiteHealth[];
    expect(answers.every((res) => res.status === 200)).toBe(true);
    expect(new Set(bodies.map((b) => b.checkedAt)).size).toBe(1);
  });

  it("measures again once the answer is older than its time to live", async () => {
    const { env } = await import("cloudflare:workers");
    const { sharedSuiteHealth, HEALTH_TTL_MS } = await import("./healthz.ts");
    const waits: Promise<unknown>[] = [];
    const first = await sharedSuiteHealth(env, (p) => waits.push(p));
    const again = await sharedSuiteHealth(env, (p) => waits.push(p));
    expect(again.checkedAt).toBe(first.checkedAt);
    const later = await sharedSuiteHealth(env, (p) => waits.push(p), Date.now() + HEALTH_TTL_MS + 1);
    expect(later.checkedAt).not.toBe(first.checkedAt);
    await Promise.allSettled(waits);
  });
});

describe("checkSuiteHealth", () => {
  it("says which part is down instead of failing when the database is unreachable", async () => {
    const { env } = await import("cloudflare:workers");
    const { checkSuiteHealth } = await import("./healthz.ts");
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
