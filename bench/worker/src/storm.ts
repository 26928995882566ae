/**
 * P3: a refresh storm. `callers` concurrent getTokenForRepo calls for one person whose access token is
 * past its refresh margin; each caller's wait is timed from the same start. The refresher Durable Object
 * should spend the single-use refresh token once and hand its result to everyone.
 */
import type { GetTokenForRepoInput } from "../../../packages/client/src/index.ts";
import type { BenchEnv } from "./env.ts";
import { outcomeOf } from "./timing.ts";

export interface StormRequest {
  input: GetTokenForRepoInput;
  callers: number;
}

export interface StormAnswer {
  /** Each caller's wait in ms (workerd's clock: whole ms). */
  waitsMs: number[];
  outcomes: Record<string, number>;
  /** How many different tokens the callers got (1 when they all share the refresh's result). */
  distinctTokens: number;
  /** Which identity answered: "user" expected. */
  sources: Record<string, number>;
}

/** Starts `callers` identical calls at once; each caller's wait from the common start. */
export async function refreshStorm(env: BenchEnv, request: StormRequest): Promise<StormAnswer> {
  const start = performance.now();
  const results = await Promise.all(
    Array.from({ length: request.callers }, async () => {
      const result = await env.GIT_TOKEN.getTokenForRepo(request.input);
      return { result, waitMs: performance.now() - start };
    }),
  );
  const outcomes: Record<string, number> = {};
  const sources: Record<string, number> = {};
  const tokens = new Set<string>();
  for (const { result } of results) {
    const label = outcomeOf(result);
    outcomes[label] = (outcomes[label] ?? 0) + 1;
    if (result.ok) {
      tokens.add(result.token);
      sources[result.source] = (sources[result.source] ?? 0) + 1;
    }
  }
  return { waitsMs: results.map((r) => r.waitMs), outcomes, distinctTokens: tokens.size, sources };
}
