import { exports } from "cloudflare:workers";
import type { WorkerHealth } from "@gitcred/client";
import { describe, expect, it } from "vitest";
import type { SuiteHealth } from "./check-suite-health.ts";

/** healthz.ts's time to live of one measured answer: one second. */
const HEALTH_TTL_MS = 1000;

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
  it("concurrent requests share one measurement: git-token and session are each asked once, not once per request", async () => {
    const { env } = await import("cloudflare:workers");
    const { sharedSuiteHealth } = await import("./healthz.ts");
    // The real bindings, each health call counted on the way (every one opens a Postgres connection
    // behind it, as does the connect worker's own ping in the same measurement).
    const asked = { gitToken: 0, session: 0 };
    const counted = <T extends { health(): Promise<WorkerHealth> }>(binding: T, count: () => void): T =>
      new Proxy(binding, {
        get: (target, property) => {
          if (property !== "health") return Reflect.get(target, property);
          return () => {
            count();
            return target.health();
          };
        },
      });
    const countingEnv: Env = {
      ...env,
      GIT_TOKEN: counted(env.GIT_TOKEN, () => asked.gitToken++),
      SESSION: counted(env.SESSION, () => asked.session++),
    };
    const waits: Promise<unknown>[] = [];
    // Past the time to live of whatever answer an earlier request left, so this flood measures anew.
    const later = Date.now() + HEALTH_TTL_MS + 1;
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => sharedSuiteHealth(countingEnv, (p) => waits.push(p), later)),
    );
    await Promise.allSettled(waits);
    expect(asked).toEqual({ gitToken: 1, session: 1 });
    expect(answers[0]?.ok).toBe(true);
    expect(new Set(answers).size).toBe(1);
  });

  it("measures again once the answer is older than its time to live", async () => {
    const { env } = await import("cloudflare:workers");
    const { sharedSuiteHealth } = await import("./healthz.ts");
    const waits: Promise<unknown>[] = [];
    const first = await sharedSuiteHealth(env, (p) => waits.push(p));
    const again = await sharedSuiteHealth(env, (p) => waits.push(p));
    expect(again.checkedAt).toBe(first.checkedAt);
    const later = await sharedSuiteHealth(env, (p) => waits.push(p), Date.now() + HEALTH_TTL_MS + 1);
    expect(later.checkedAt).not.toBe(first.checkedAt);
    await Promise.allSettled(waits);
  });
});
