import type { WorkerHealth } from "@gitcred/client";
import { pingDatabase } from "@gitcred/db";

export interface SuiteHealth {
  ok: boolean;
  /** When this answer was measured (answers are shared for up to `HEALTH_TTL_MS`). */
  checkedAt: string;
  workers: WorkerHealth[];
}

/** How long one measured answer serves every /healthz request of this isolate. */
export const HEALTH_TTL_MS = 1000;

async function ask(name: string, call: () => Promise<WorkerHealth>): Promise<WorkerHealth> {
  try {
    return await call();
  } catch {
    // A binding that cannot be reached says so; the error itself may carry internals, so it is dropped.
    return { worker: name, ok: false, binding: "unreachable" };
  }
}

/**
 * The suite's health: this worker and its database, and each worker behind a service binding.
 * Answers even when parts are down, because an operator needs to see which part.
 */
export async function checkSuiteHealth(
  env: Env,
  waitUntil: (p: Promise<unknown>) => void,
): Promise<SuiteHealth> {
  const [database, gitToken, session] = await Promise.all([
    pingDatabase(env, waitUntil),
    ask("gitcred-git-token", () => env.GIT_TOKEN.health()),
    ask("gitcred-session", () => env.SESSION.health()),
  ]);
  const connect: WorkerHealth = {
    worker: "gitcred-connect",
    ok: database.ok,
    database: database.ok ? "ok" : database.reason,
  };
  const workers = [connect, gitToken, session];
  return { ok: workers.every((w) => w.ok), checkedAt: new Date().toISOString(), workers };
}

let latest: { until: number; health: Promise<SuiteHealth> } | undefined;

/**
 * `checkSuiteHealth` for the public, unauthenticated /healthz. Each check opens a Postgres connection in
 * every worker, so a flood of health requests would be a flood of database connections: concurrent
 * requests share the check under way and its answer serves this isolate for one second.
 */
export function sharedSuiteHealth(
  env: Env,
  waitUntil: (p: Promise<unknown>) => void,
  now = Date.now(),
): Promise<SuiteHealth> {
  if (latest !== undefined && (latest.until === 0 || now < latest.until)) return latest.health;
  const entry: { until: number; health: Promise<SuiteHealth> } = {
    until: 0,
    health: checkSuiteHealth(env, waitUntil),
  };
  latest = entry;
  // The TTL starts when the answer exists; a check that threw is not kept.
  entry.health.then(
    () => {
      entry.until = Date.now() + HEALTH_TTL_MS;
    },
    () => {
      if (latest === entry) latest = undefined;
    },
  );
  return entry.health;
}
