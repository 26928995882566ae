/**
 * P4: session preparations per second. `inputs.length` prepareSession(now) calls with at most
 * `concurrency` in flight, each a new session (a new Durable Object, a token from git-token, the
 * record written to storage), timed as a whole and per call.
 */
import type { GetTokenForRepoInput, PrepareSessionInput } from "../../../packages/client/src/index.ts";
import type { BenchEnv } from "./env.ts";
import { outcomeOf, runPool } from "./timing.ts";

export interface PrepareLoadRequest {
  inputs: PrepareSessionInput[];
  concurrency: number;
}

export interface PrepareLoadAnswer {
  elapsedMs: number;
  callMs: number[];
  outcomes: Record<string, number>;
  identities: Record<string, number>;
}

/** Prepares every input with at most `concurrency` in flight; timings in whole milliseconds. */
export async function prepareLoad(env: BenchEnv, request: PrepareLoadRequest): Promise<PrepareLoadAnswer> {
  const outcomes: Record<string, number> = {};
  const identities: Record<string, number> = {};
  const start = performance.now();
  const callMs = await runPool(request.inputs.length, request.concurrency, async (i) => {
    const began = performance.now();
    const result = await env.SESSION.prepareSession(request.inputs[i]!);
    const label = outcomeOf(result);
    outcomes[label] = (outcomes[label] ?? 0) + 1;
    if (result.ok) {
      const identity = result.session.identity ?? "none";
      identities[identity] = (identities[identity] ?? 0) + 1;
    }
    return performance.now() - began;
  });
  return { elapsedMs: performance.now() - start, callMs, outcomes, identities };
}

export interface ComparisonRequest {
  kind: "touchObjects" | "getTokenForRepo";
  /** getTokenForRepo: the inputs; touchObjects: object names. */
  inputs: unknown[];
  concurrency: number;
}

/**
 * The two halves of a preparation on their own, at the same concurrency: a new Durable Object writing
 * one record (the runtime's share), and getTokenForRepo (git-token's share).
 */
export async function comparisonLoad(
  env: BenchEnv,
  request: ComparisonRequest,
): Promise<{ elapsedMs: number; outcomes: Record<string, number> }> {
  const outcomes: Record<string, number> = {};
  const start = performance.now();
  await runPool(request.inputs.length, request.concurrency, async (i) => {
    let label: string;
    if (request.kind === "touchObjects") {
      const name = String(request.inputs[i]);
      await env.BENCH_OBJECTS.get(env.BENCH_OBJECTS.idFromName(name)).touch();
      label = "ok";
    } else {
      label = outcomeOf(await env.GIT_TOKEN.getTokenForRepo(request.inputs[i] as GetTokenForRepoInput));
    }
    outcomes[label] = (outcomes[label] ?? 0) + 1;
  });
  return { elapsedMs: performance.now() - start, outcomes };
}
