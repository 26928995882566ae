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
