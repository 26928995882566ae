/**
 * Sets the time-warp offset of every gitcred worker of a bench build (warp/clock.ts), so that their
 * `Date` agrees with the simulator's clock after the harness advanced it. A suite of production builds
 * has no clock bindings: then this answers `warped: false`.
 */
import type { BenchEnv } from "./env.ts";

/** Sets the offset on every clock binding this worker has. */
export async function setWarpOffset(
  env: BenchEnv,
  offsetMs: number,
): Promise<{ warped: boolean; nowMs: number[] }> {
  const clocks = [env.CLOCK_GIT_TOKEN, env.CLOCK_SESSION, env.CLOCK_CONNECT].filter(
    (c): c is NonNullable<typeof c> => c !== undefined,
  );
  const nowMs = await Promise.all(clocks.map((clock) => clock.set(offsetMs)));
  return { warped: clocks.length > 0, nowMs };
}
