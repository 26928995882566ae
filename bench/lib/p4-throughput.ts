/**
 * P4 — throughput. Session preparations per second (prepareSession, mode now: a new Durable Object, a
 * token from git-token for the person, the record written) at concurrency 1, 8, 32 and 128, and what
 * each preparation costs: Postgres connections, GitHub calls, and CPU by process. The bottleneck is
 * named from those measurements: the process whose CPU saturates, or the resource that grows per call.
 */
import type { Miniflare } from "miniflare";
import type { SimAdmin } from "../../packages/github-sim/local/index.ts";
import { callBench } from "./bench-worker.ts";
import { type CpuGroups, cpuShares, readCpu } from "./cpu.ts";
import type { Infra } from "./infra.ts";
import { type Percentiles, percentiles, round } from "./stats.ts";
import type { Person } from "./world.ts";

export interface P4Level {
  concurrency: number;
  preparations: number;
  perSecond: number;
  latency: Percentiles;
  outcomes: Record<string, number>;
  identities: Record<string, number>;
  connectionsPerPreparation: number;
  githubCallsPerPreparation: number;
  /** Cores used by each process group during the level. */
  cpuCores: Record<string, number>;
  /** The halves alone at the same concurrency: new objects writing one record, and getTokenForRepo. */
  emptyObjectsPerSecond: number;
  getTokenForRepoPerSecond: number;
  /**
   * preparations/s ÷ new objects/s of each round, the two batches run back to back (rounds > 1 only).
   * One pair alone swings by ±20 % on a 2-core machine: a new object's cost is mostly the kernel's
   * (creating and syncing its SQLite files), and how much of the disk flushing lands on workerd's own
   * thread changes from one second to the next. The goal takes their median.
   */
  pairedRatios?: number[];
  /**
   * CPU of gitcred's workerd (all threads, user + system, from /proc) per preparation and per bare
   * object, each over its own batches. Set beside 1000 / rate (the wall time per operation), it says
   * whether a preparation's extra time is computation or waiting: both wait on the same disk syncs.
   */
  cpuMsPerPreparation?: number;
  cpuMsPerEmptyObject?: number;
}

export interface P4Result {
  levels: P4Level[];
  /** perSecond at the highest concurrency ÷ at concurrency 1. */
  scaling: number;
  bottleneck: string;
  cores: number;
}

interface CompareAnswer {
  elapsedMs: number;
  outcomes: Record<string, number>;
}

interface PrepareAnswer {
  elapsedMs: number;
  callMs: number[];
  outcomes: Record<string, number>;
  identities: Record<string, number>;
}

/** CPU seconds so far of the workerd that runs gitcred's workers (and the measuring worker). */
const GITCRED_WORKERD = "workerd (gitcred)";
function gitcredCpu(reading: Record<string, number>): number {
  return reading[GITCRED_WORKERD] ?? 0;
}

async function totalGithubCalls(admin: SimAdmin): Promise<number> {
  const counters = await admin.counters();
  return Object.entries(counters)
    .filter(([route]) => !route.includes("#"))
    .reduce((sum, [, c]) => sum + c.count, 0);
}

/**
 * Names the bottleneck from measurements of the same run: where a preparation's time goes (a new Durable
 * Object committing its record, measured alone as empty objects; git-token's getTokenForRepo, measured
 * alone) and whether the CPU is saturated (per process, and the machine, which others share).
 */
export function nameBottleneck(levels: P4Level[], cores: number): string {
  const top = levels.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
  const last = levels[levels.length - 1]!;
  const processes = Object.entries(last.cpuCores)
    .filter(([n]) => !n.startsWith("machine") && !n.endsWith("busiest thread"))
    .sort((a, b) => b[1] - a[1]);
  const thread = last.cpuCores["workerd (gitcred): busiest thread"] ?? 0;
  const ours = processes.reduce((a, [, b]) => a + b, 0);
  const machine = last.cpuCores["machine: busy"] ?? ours;
  const iowait = last.cpuCores["machine: iowait"] ?? 0;
  const parts = processes.map(([n, c]) => `${n} ${round(c, 2)}`).join(", ");
  const objectMs = 1000 / last.emptyObjectsPerSecond;
  const tokenMs = 1000 / last.getTokenForRepoPerSecond;
  const objectVsPrepare = round(last.perSecond / last.emptyObjectsPerSecond, 2);
  const component =
    objectMs >= tokenMs
      ? `Durable Object creation and storage commits: a new object that only commits one record runs at ` +
        `${round(last.emptyObjectsPerSecond, 0)}/s at concurrency ${last.concurrency}, and a preparation ` +
        `(which creates its session object, commits its record once, writes its index entry and calls git-token) at ${objectVsPrepare}× that, while ` +
        `getTokenForRepo alone runs at ${round(last.getTokenForRepoPerSecond, 0)}/s`
      : `git-token's getTokenForRepo: alone it runs at ${round(last.getTokenForRepoPerSecond, 0)}/s, ` +
        `new objects at ${round(last.emptyObjectsPerSecond, 0)}/s`;
  const threadNote =
    thread >= 0.85
      ? ` Its busiest thread was at ${round(thread, 2)} of a core: workerd runs the workers' JavaScript on one thread, which is saturated.`
      : ` gitcred's workerd's busiest thread used ${round(thread, 2)} of a core (its JavaScript runs on one thread), so it waits more than it computes.`;
  const cpu =
    machine >= cores * 0.85
      ? `The machine's ${cores} cores were busy (${round(machine, 2)} cores, ${round(iowait, 2)} more in I/O wait; ` +
        `this run's processes: ${parts}).`
      : `CPU is not the limit: the machine used ${round(machine, 2)} of ${cores} cores (this run's processes: ` +
        `${parts}) and waited ${round(iowait, 2)} core-seconds per second on disk I/O.`;
  return (
    `Bottleneck: ${component}. ${cpu}${threadNote} Throughput peaks at ${round(top.perSecond, 1)}/s (concurrency ` +
    `${top.concurrency}); a preparation opens ${round(last.connectionsPerPreparation, 2)} Postgres ` +
    `connection(s) and makes ${round(last.githubCallsPerPreparation, 2)} GitHub call(s) on average.`
  );
}

/** Prepares sessions at each concurrency level and measures what each preparation costs. */
export async function runP4(
  mf: Miniflare,
  infra: Infra,
  world: { people: Person[]; tenantId: string; repos: { owner: string; repo: string }[] },
  options: {
    /** `rounds` (default 1): prepare and create objects that many times in turn, `preparations` each. */
    levels: { concurrency: number; preparations: number; rounds?: number }[];
    cpu: CpuGroups;
    cores: number;
  },
): Promise<P4Result> {
  let serial = 0;
  const inputs = (count: number) =>
    Array.from({ length: count }, () => {
      const i = serial++;
      const person = world.people[i % world.people.length]!;
      const target = world.repos[Math.floor(i / world.people.length) % world.repos.length]!;
      return {
        sessionId: `p4-${i}`,
        userId: person.userId,
        tenantId: world.tenantId,
        ...target,
        mode: "now" as const,
      };
    });
  // Warm-up (not recorded): isolates compiled, each person's repo access cached once.
  await callBench(mf, "prepare", { inputs: inputs(world.people.length * 2), concurrency: 8 });
  const levels: P4Level[] = [];
  for (const level of options.levels) {
    const rounds = level.rounds ?? 1;
    const total = level.preparations * rounds;
    let connections = 0;
    let githubCalls = 0;
    let prepareMs = 0;
    let objectMs = 0;
    let wallSeconds = 0;
    let prepareCpuSeconds = 0;
    let objectCpuSeconds = 0;
    const callMs: number[] = [];
    const outcomes: Record<string, number> = {};
    const identities: Record<string, number> = {};
    const cpuSpent: Record<string, number> = {};
    const pairedRatios: number[] = [];
    let lastBatch: ReturnType<typeof inputs> = [];
    for (let pair = 0; pair < rounds; pair++) {
      const batch = inputs(level.preparations);
      lastBatch = batch;
      const connectionsBefore = infra.postgres.proxy.stats().opened;
      const githubBefore = await totalGithubCalls(infra.admin);
      const cpuBefore = readCpu(options.cpu);
      const wallStart = performance.now();
      const answer = await callBench<PrepareAnswer>(mf, "prepare", {
        inputs: batch,
        concurrency: level.concurrency,
      });
      const seconds = (performance.now() - wallStart) / 1000;
      const cpuAfter = readCpu(options.cpu);
      prepareCpuSeconds += gitcredCpu(cpuAfter) - gitcredCpu(cpuBefore);
      // CPU seconds by group for the preparations only (the objects' batches are not counted).
      for (const [name, cores] of Object.entries(cpuShares(cpuBefore, cpuAfter, seconds)))
        cpuSpent[name] = (cpuSpent[name] ?? 0) + cores * seconds;
      wallSeconds += seconds;
      connections += infra.postgres.proxy.stats().opened - connectionsBefore;
      githubCalls += (await totalGithubCalls(infra.admin)) - githubBefore;
      prepareMs += answer.elapsedMs;
      callMs.push(...answer.callMs);
      for (const [k, v] of Object.entries(answer.outcomes)) outcomes[k] = (outcomes[k] ?? 0) + v;
      for (const [k, v] of Object.entries(answer.identities)) identities[k] = (identities[k] ?? 0) + v;
      const objectCpuBefore = gitcredCpu(readCpu(options.cpu));
      const objects = await callBench<CompareAnswer>(mf, "compare", {
        kind: "touchObjects",
        inputs: batch.map((b) => `empty-${b.sessionId}`),
        concurrency: level.concurrency,
      });
      objectCpuSeconds += gitcredCpu(readCpu(options.cpu)) - objectCpuBefore;
      objectMs += objects.elapsedMs;
      pairedRatios.push(round(objects.elapsedMs / answer.elapsedMs, 4));
    }
    const tokens = await callBench<CompareAnswer>(mf, "compare", {
      kind: "getTokenForRepo",
      inputs: lastBatch.map(({ userId, tenantId, owner, repo }) => ({
        userId,
        tenantId,
        owner,
        repo,
        access: "write",
      })),
      concurrency: level.concurrency,
    });
    levels.push({
      concurrency: level.concurrency,
      preparations: total,
      perSecond: round(total / (prepareMs / 1000), 2),
      latency: percentiles(callMs),
      outcomes,
      identities,
      connectionsPerPreparation: round(connections / total, 3),
      githubCallsPerPreparation: round(githubCalls / total, 3),
      cpuCores: Object.fromEntries(Object.entries(cpuSpent).map(([k, v]) => [k, round(v / wallSeconds, 3)])),
      emptyObjectsPerSecond: round(total / (objectMs / 1000), 2),
      getTokenForRepoPerSecond: round(lastBatch.length / (tokens.elapsedMs / 1000), 2),
      ...(rounds > 1 ? { pairedRatios } : {}),
      cpuMsPerPreparation: round((prepareCpuSeconds * 1000) / total, 3),
      cpuMsPerEmptyObject: round((objectCpuSeconds * 1000) / total, 3),
    });
  }
  const first = levels[0]!;
  const last = levels[levels.length - 1]!;
  return {
    levels,
    scaling: round(last.perSecond / first.perSecond, 2),
    bottleneck: nameBottleneck(levels, options.cores),
    cores: options.cores,
  };
}
