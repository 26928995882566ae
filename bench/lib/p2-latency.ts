/**
 * P2 — warm latency. p50 and p99 of getTokenForRepo (the person's token, and the App's) and of
 * getGitCredentials with warm caches, each divided by the same statistic of `ping` on the same binding
 * (a method that validates the same input and does nothing else), measured in the same run: the ratio
 * is what gitcred adds to the RPC itself. Goal: p50 ≤ 1.2. Rounds interleave the five measurements so
 * drift on a shared machine hits all of them alike. workerd's clock moves in whole milliseconds, and a
 * warm call takes a fraction of one: each sample is the mean of `batch` calls (1,024 → 1/1024 ms), else
 * every call and its floor read as the same tick or two and a ratio is mostly rounding.
 */
import type { Miniflare } from "miniflare";
import { callBench } from "./bench-worker.ts";
import { type Percentiles, percentiles, round } from "./stats.ts";

export interface P2Result {
  rounds: number;
  calls: number;
  batch: number;
  /** `ping` on each binding: the floor each warm call is divided by. */
  floors: Record<P2Binding, Percentiles>;
  ops: Record<string, Percentiles & { binding: P2Binding; ratioP50: number; ratioP99: number }>;
  outcomes: Record<string, Record<string, number>>;
  goal: { p50RatioMax: number; met: boolean };
}

export type P2Binding = "GIT_TOKEN" | "SESSION";

interface LatencyAnswer {
  samplesMs: number[];
  outcomes: Record<string, number>;
}

export interface P2Inputs {
  userId: string;
  tenantId: string;
  owner: string;
  repo: string;
  sessionId: string;
}

/** Measures the floor and the warm calls in interleaved rounds and divides each percentile by the floor's. */
export async function runP2(
  mf: Miniflare,
  inputs: P2Inputs,
  options: { rounds: number; samplesPerRound: number; batch: number },
): Promise<P2Result> {
  const person = {
    userId: inputs.userId,
    tenantId: inputs.tenantId,
    owner: inputs.owner,
    repo: inputs.repo,
    access: "write",
  } as const;
  const sessionRef = { sessionId: inputs.sessionId, userId: inputs.userId };
  const ops: Record<string, { binding: P2Binding; spec: Record<string, unknown> }> = {
    "ping (GIT_TOKEN)": { binding: "GIT_TOKEN", spec: { op: "ping", binding: "GIT_TOKEN", input: person } },
    "ping (SESSION)": { binding: "SESSION", spec: { op: "ping", binding: "SESSION", input: sessionRef } },
    "getTokenForRepo (person)": { binding: "GIT_TOKEN", spec: { op: "getTokenForRepo", input: person } },
    "getTokenForRepo (App)": {
      binding: "GIT_TOKEN",
      spec: { op: "getTokenForRepo", input: { ...person, userId: undefined, prefer: "app" } },
    },
    getGitCredentials: { binding: "SESSION", spec: { op: "getGitCredentials", input: sessionRef } },
  };
  const samples: Record<string, number[]> = {};
  const outcomes: Record<string, Record<string, number>> = {};
  // Warm-up: caches filled, isolates compiled; not recorded.
  for (const { spec } of Object.values(ops)) {
    await callBench(mf, "latency", { ...spec, samples: 5, batch: options.batch });
  }
  for (let round = 0; round < options.rounds; round++) {
    for (const [name, { spec }] of Object.entries(ops)) {
      const answer = await callBench<LatencyAnswer>(mf, "latency", {
        ...spec,
        samples: options.samplesPerRound,
        batch: options.batch,
      });
      samples[name] = [...(samples[name] ?? []), ...answer.samplesMs];
      const seen = outcomes[name] ?? {};
      for (const [label, n] of Object.entries(answer.outcomes)) seen[label] = (seen[label] ?? 0) + n;
      outcomes[name] = seen;
    }
  }
  const floors = {
    GIT_TOKEN: percentiles(samples["ping (GIT_TOKEN)"]!),
    SESSION: percentiles(samples["ping (SESSION)"]!),
  };
  const result: P2Result["ops"] = {};
  for (const [name, { binding }] of Object.entries(ops)) {
    if (name.startsWith("ping")) continue;
    const p = percentiles(samples[name]!);
    const floor = floors[binding];
    result[name] = { ...p, binding, ratioP50: round(p.p50 / floor.p50), ratioP99: round(p.p99 / floor.p99) };
  }
  const goal = 1.2;
  const met =
    Object.values(result).every((r) => r.ratioP50 <= goal) &&
    Object.values(outcomes).every((o) => Object.keys(o).every((label) => label === "ok"));
  return {
    rounds: options.rounds,
    calls: options.rounds * options.samplesPerRound * options.batch,
    batch: options.batch,
    floors,
    ops: result,
    outcomes,
    goal: { p50RatioMax: goal, met },
  };
}
