/**
 * P2: warm latency of gitcred's RPC methods, and the floor they are divided by — `ping` on the same
 * binding, which validates the same input and does nothing else: the cost of the RPC itself.
 */
import type { GetTokenForRepoInput, SessionRef } from "../../../packages/client/src/index.ts";
import type { BenchEnv } from "./env.ts";
import { outcomeOf, sampleSequential } from "./timing.ts";

export type LatencyRequest = { samples: number; batch: number } & (
  | { op: "getTokenForRepo"; input: GetTokenForRepoInput }
  | { op: "getGitCredentials"; input: SessionRef }
  | { op: "ping"; binding: "GIT_TOKEN"; input: GetTokenForRepoInput }
  | { op: "ping"; binding: "SESSION"; input: SessionRef }
);

export interface LatencyAnswer {
  samplesMs: number[];
  /** Outcome classes of the calls (all "ok" when warm). */
  outcomes: Record<string, number>;
}

/** Samples one operation `samples` times (each sample the mean of `batch` sequential calls). */
export async function measureLatency(env: BenchEnv, request: LatencyRequest): Promise<LatencyAnswer> {
  const outcomes: Record<string, number> = {};
  const count = (label: string) => {
    outcomes[label] = (outcomes[label] ?? 0) + 1;
  };
  let work: () => Promise<unknown>;
  if (request.op === "ping" && request.binding === "GIT_TOKEN") {
    const input = request.input;
    work = async () => count(outcomeOf(await env.GIT_TOKEN.ping(input)));
  } else if (request.op === "ping") {
    const input = request.input;
    work = async () => count(outcomeOf(await env.SESSION.ping(input)));
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
