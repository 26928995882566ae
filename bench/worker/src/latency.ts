/**
 * P2: warm latency of gitcred's RPC methods, and the floor they are divided by — one KV read plus one
 * indexed Postgres read done by this worker the way a gitcred worker does them (a per-request pool,
 * ended through waitUntil, exactly as `openDatabase` is used).
 */
import { openDatabase, readUserToken } from "@gitcred/db";
import type { GetTokenForRepoInput, SessionRef } from "../../../packages/client/src/index.ts";
import type { BenchEnv } from "./env.ts";
import { outcomeOf, sampleSequential } from "./timing.ts";

export type LatencyRequest = { samples: number; batch: number } & (
  | { op: "getTokenForRepo"; input: GetTokenForRepoInput }
  | { op: "getGitCredentials"; input: SessionRef }
  /** A KV key this worker wrote and a user id whose row exists; `part` times one half alone. */
  | { op: "floor"; input: { kvKey: string; userId: string; part?: "kv" | "db" } }
);

export interface LatencyAnswer {
  samplesMs: number[];
  /** Outcome classes of the calls (all "ok" when warm). */
  outcomes: Record<string, number>;
}

/** Samples one operation `samples` times (each sample the mean of `batch` sequential calls). */
export async function measureLatency(
  env: BenchEnv,
  ctx: ExecutionContext,
  request: LatencyRequest,
): Promise<LatencyAnswer> {
  const outcomes: Record<string, number> = {};
  const count = (label: string) => {
    outcomes[label] = (outcomes[label] ?? 0) + 1;
  };
  let work: () => Promise<unknown>;
  if (request.op === "floor") {
    const { kvKey, userId, part } = request.input;
    work = async () => {
      const value = part === "db" ? "" : await env.BENCH_KV.get(kvKey);
      let found = true;
      if (part !== "kv") {
        const handle = openDatabase(env);
        found = (await readUserToken(handle.db, userId)) !== undefined;
        ctx.waitUntil(handle.close());
      }
      count(value !== null && found ? "ok" : "floor_miss");
    };
  } else if (request.op === "getTokenForRepo") {
    const input = request.input;
    work = async () => count(outcomeOf(await env.GIT_TOKEN.getTokenForRepo(input)));
  } else {
    const input = request.input;
    work = async () => count(outcomeOf(await env.SESSION.getGitCredentials(input)));
  }
  const samplesMs = await sampleSequential(work, request.samples, request.batch);
  return { samplesMs, outcomes };
}
