/**
 * Sets the time-warp offset of every gitcred worker of a bench build (warp/clock.ts), so that their
 * `Date` agrees with the simulator's clock after the harness advanced it. A suite of production builds
 * has no clock bindings: then this answers `warped: false`.
 */
import type { BenchEnv } from "./env.ts";
import type { BillCounts } from "./warp/counters.ts";

function clocksOf(env: BenchEnv) {
  return [env.CLOCK_GIT_TOKEN, env.CLOCK_SESSION, env.CLOCK_CONNECT].filter(
    (c): c is NonNullable<typeof c> => c !== undefined,
  );
}

/** The suite's Durable Object requests and KV operations (every worker summed); `reset` zeroes them. */
export async function readBillCounts(env: BenchEnv, reset: boolean): Promise<BillCounts> {
  const each = await Promise.all(clocksOf(env).map((clock) => clock.counts(reset)));
  const sum: BillCounts = { durableObjectRequests: 0, kvReads: 0, kvWrites: 0, kvDeletes: 0, kvLists: 0 };
  for (const counts of each)
    for (const key of Object.keys(sum) as (keyof BillCounts)[]) sum[key] += counts[key];
  return sum;
}

/** Sets the offset on every clock binding this worker has. */
export async function setWarpOffset(
  env: BenchEnv,
  offsetMs: number,
): Promise<{ warped: boolean; nowMs: number[] }> {
  const clocks = clocksOf(env);
  const nowMs = await Promise.all(clocks.map((clock) => clock.set(offsetMs)));
  return { warped: clocks.length > 0, nowMs };
}
