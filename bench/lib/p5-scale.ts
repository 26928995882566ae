/**
 * P5 — scale. The P1 workload at × 1 and at × 10 (2,000 sessions, 200 people, 500 repositories, 50
 * installations, 20 revocations), each on its own infrastructure in the same run: GitHub calls ÷ the
 * minimum at both sizes (≤ 1.05), work time at × 10 ÷ (10 × work time at × 1) (≤ 1.1: cost grows
 * linearly), and per 1,000 credential hand-outs what a Cloudflare and a Neon bill count.
 */

import { P1_SHAPE, type P1Shape } from "./p1-schedule.ts";
import type { P1Phase } from "./phase-p1.ts";
import { round } from "./stats.ts";

/** What one size cost, as a bill counts it (Durable Object requests and KV operations counted in-worker). */
export interface BillOps {
  durableObjectRequests: number;
  kvReads: number;
  kvWrites: number;
  kvDeletes: number;
  kvLists: number;
  /** Transactions Postgres committed or rolled back (each statement outside a transaction is one). */
  postgresQueries: number | null;
  postgresConnections: number;
  githubCalls: number;
}

export interface P5Size {
  scale: number;
  sessions: number;
  people: number;
  repositories: number;
  installations: number;
  revocations: number;
  ratio: number;
  workSeconds: number;
  handouts: number;
  totals: BillOps;
  per1000Handouts: Record<keyof BillOps, number | null>;
}

export interface P5Result {
  sizes: P5Size[];
  /** workSeconds at × 10 ÷ (10 × workSeconds at × 1). */
  growth: number;
}

/**
 * The P1 shape × `k`: people, organisations and sessions multiplied; each revocation repeated per copy,
 * on a connected person of that copy (the first `connected × k` people are the connected ones).
 */
export function scaledShape(k: number, base: P1Shape = P1_SHAPE): P1Shape {
  return {
    ...base,
    people: base.people * k,
    connected: base.connected * k,
    orgs: base.orgs * k,
    sessions: base.sessions * k,
    revocations: Array.from({ length: k }, (_, copy) =>
      base.revocations.map((r) => ({ person: r.person + copy * base.connected, minute: r.minute })),
    ).flat(),
  };
}

function sizeOf(scale: number, shape: P1Shape, phase: P1Phase): P5Size {
  const { result, bill } = phase;
  const per1000 = Object.fromEntries(
    Object.entries(bill).map(([k, v]) => [k, v === null ? null : round((v / result.handouts) * 1000, 1)]),
  ) as Record<keyof BillOps, number | null>;
  return {
    scale,
    sessions: result.sessions,
    people: shape.people,
    repositories: shape.orgs * shape.reposPerOrg,
    installations: shape.orgs,
    revocations: shape.revocations.length,
    ratio: result.ratio.contract,
    workSeconds: result.realSeconds,
    handouts: result.handouts,
    totals: bill,
    per1000Handouts: per1000,
  };
}

/** P5 from the × 1 run (P1's own) and a × 10 run of the same workload. */
export function p5From(one: P1Phase, ten: P1Phase): P5Result {
  const sizes = [sizeOf(1, P1_SHAPE, one), sizeOf(10, scaledShape(10), ten)];
  return { sizes, growth: round(sizes[1]!.workSeconds / (10 * sizes[0]!.workSeconds)) };
}
