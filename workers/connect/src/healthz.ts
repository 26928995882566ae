import { awaitShared } from "@gitcred/utils";
import { checkSuiteHealth, type SuiteHealth } from "./check-suite-health.ts";

/** How long one measured answer serves every /healthz request of this isolate. */
const HEALTH_TTL_MS = 1000;

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
  if (latest !== undefined && (latest.until === 0 || now < latest.until)) {
    // A check still under way belongs to another request: wait on it with a timer of our own.
    return latest.until === 0 ? awaitShared(latest.health) : latest.health;
  }
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
