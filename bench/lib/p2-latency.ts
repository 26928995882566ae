/**
 * P2 — warm latency. p50/p95/p99 of getTokenForRepo (the person's token, and the App's) and of
 * getGitCredentials with warm caches, each divided by the floor measured in the same run and the same
 * worker: one KV read plus one indexed Postgres read (a per-request pool, as gitcred's workers open).
 * Rounds interleave the four measurements so drift on a shared machine hits all of them alike.
 */
import type { Miniflare } from "miniflare";
import { callBench } from "./bench-worker.ts";
import { type Percentiles, percentiles, round } from "./stats.ts";

export interface P2Result {
  rounds: number;
  calls: number;
  floorCalls: number;
  batch: number;
  floor: Percentiles;
  ops: Record<string, Percentiles & { ratioP50: number; ratioP95: number; ratioP99: number }>;
  outcomes: Record<string, Record<string, number>>;
  goal: { p50RatioMax: number; met: boolean };
}

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
  options: { rounds: number; samplesPerRound: number; floorSamplesPerRound: number; batch: number },
): Promise<P2Result> {
  const kvKey = "bench:floor";
  await callBench(mf, "kv-put", { key: kvKey, value: "x".repeat(200) });
  const ops = {
    floor: { op: "floor", input: { kvKey, userId: inputs.userId } },
    "floor: KV read alone": { op: "floor", input: { kvKey, userId: inputs.userId, part: "kv" } },
    "floor: Postgres read alone": { op: "floor", input: { kvKey, userId: inputs.userId, part: "db" } },
    "getTokenForRepo (person)": {
      op: "getTokenForRepo",
      input: {
        userId: inputs.userId,
        tenantId: inputs.tenantId,
        owner: inputs.owner,
        repo: inputs.repo,
        access: "write",
      },
    },
    "getTokenForRepo (App)": {
      op: "getTokenForRepo",
      input: {
        tenantId: inputs.tenantId,
        owner: inputs.owner,
        repo: inputs.repo,
        access: "write",
        prefer: "app",
      },
    },
    getGitCredentials: {
      op: "getGitCredentials",
      input: { sessionId: inputs.sessionId, userId: inputs.userId },
    },
  } as const;
  const samples: Record<string, number[]> = {};
  const outcomes: Record<string, Record<string, number>> = {};
  // Warm-up: caches filled, isolates compiled; not recorded.
  for (const spec of Object.values(ops)) {
    await callBench(mf, "latency", { ...spec, samples: 5, batch: options.batch });
  }
  for (let round = 0; round < options.rounds; round++) {
    for (const [name, spec] of Object.entries(ops)) {
      // The floor and its halves cost ~15 ms a call (a connection per read): fewer samples suffice.
      const floorOp = name.startsWith("floor");
      const answer = await callBench<LatencyAnswer>(mf, "latency", {
        ...spec,
        samples: floorOp ? options.floorSamplesPerRound : options.samplesPerRound,
        batch: options.batch,
      });
      samples[name] = [...(samples[name] ?? []), ...answer.samplesMs];
      const seen = outcomes[name] ?? {};
      for (const [label, n] of Object.entries(answer.outcomes)) seen[label] = (seen[label] ?? 0) + n;
      outcomes[name] = seen;
    }
  }
  const floor = percentiles(samples.floor!);
  const result: P2Result["ops"] = {};
  for (const name of Object.keys(ops)) {
    if (name === "floor") continue;
    // The floor's halves are context (what the floor is made of), divided by the floor like the rest.
    const p = percentiles(samples[name]!);
    result[name] = {
      ...p,
      ratioP50: round(p.p50 / floor.p50),
      ratioP95: round(p.p95 / floor.p95),
      ratioP99: round(p.p99 / floor.p99),
    };
  }
  const goal = 1.5;
  const measured = Object.entries(result).filter(([name]) => !name.startsWith("floor"));
  const met =
    measured.every(([, r]) => r.ratioP50 <= goal) &&
    Object.values(outcomes).every((o) => Object.keys(o).every((label) => label === "ok"));
  return {
    rounds: options.rounds,
    calls: options.rounds * options.samplesPerRound * options.batch,
    floorCalls: options.rounds * options.floorSamplesPerRound * options.batch,
    batch: options.batch,
    floor,
    ops: result,
    outcomes,
    goal: { p50RatioMax: goal, met },
  };
}
