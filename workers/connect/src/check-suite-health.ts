import type { WorkerHealth } from "@gitcred/client";
import { pingDatabase } from "@gitcred/db";

export interface SuiteHealth {
  ok: boolean;
  /** When this answer was measured (healthz.ts shares one answer for up to a second). */
  checkedAt: string;
  workers: WorkerHealth[];
}

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
