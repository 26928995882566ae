/**
 * Where the CPU goes while the benchmark runs, read from /proc (Linux): the workerd process that runs
 * gitcred's workers, the simulator's workerd, this Node process (the WebSocket->Postgres proxy, the
 * simulator's front, the harness) and PostgreSQL (the postmaster's reaped children plus live backends
 * of the benchmark's database: per-request pools make backends short-lived). Used to name P4's
 * bottleneck from measurements instead of guessing.
 */
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100;

/** utime + stime (+ cutime + cstime when `withChildren`) of a process, in seconds; 0 when gone. */
function cpuSeconds(pid: number, withChildren: boolean): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields[0] is state (field 3); utime is field 14 -> index 11.
    const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((i) => Number(fields[i]));
    const own = utime! + stime!;
    return (withChildren ? own + cutime! + cstime! : own) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

function parentOf(pid: number): number {
  const stat = readText(`/proc/${pid}/stat`);
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1] ?? 0);
}

function allPids(): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/** Child processes of this Node process named `workerd` (one per Miniflare instance). */
export function workerdChildren(): number[] {
  return allPids().filter(
    (pid) => parentOf(pid) === process.pid && readText(`/proc/${pid}/comm`).trim() === "workerd",
  );
}

/** The postmaster of the server a backend with `backendPid` belongs to. */
export function postmasterOf(backendPid: number): number | undefined {
  const parent = parentOf(backendPid);
  return parent > 0 ? parent : undefined;
}

export interface CpuGroups {
  /** name -> pids whose own CPU counts (plus children for `withChildren` groups). */
  groups: Record<string, { pids: number[]; withChildren: boolean }>;
  /** Live backends whose command line names this database also count toward "postgres". */
  database?: string;
  postmaster?: number;
}

function liveBackends(postmaster: number, database: string): number[] {
  return allPids().filter(
    (pid) => parentOf(pid) === postmaster && readText(`/proc/${pid}/cmdline`).includes(database),
  );
}

/** Machine-wide seconds (all cores) by state from /proc/stat: busy, iowait, idle. */
function machineSeconds(): { busy: number; iowait: number; idle: number } {
  const line = readText("/proc/stat").split("\n")[0] ?? "";
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line
    .split(/\s+/)
    .slice(1, 9)
    .map((v) => Number(v) / TICKS_PER_SECOND);
  return {
    busy: user! + nice! + system! + irq! + softirq! + steal!,
    iowait: iowait!,
    idle: idle!,
  };
}

/** CPU seconds of each thread of a process (a single-threaded event loop shows as one busy thread). */
function threadSeconds(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    const stat = readText(`/proc/${pid}/task/${tid}/stat`);
    if (stat === "") continue;
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    out.set(Number(tid), (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND);
  }
  return out;
}

const THREAD_PREFIX = "thread:";

/** CPU seconds per group now; pass two readings to `cpuShares`. */
export function readCpu(groups: CpuGroups): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, group] of Object.entries(groups.groups)) {
    out[name] = group.pids.reduce((sum, pid) => sum + cpuSeconds(pid, group.withChildren), 0);
    for (const pid of group.pids) {
      for (const [tid, seconds] of threadSeconds(pid)) out[`${THREAD_PREFIX}${name}:${tid}`] = seconds;
    }
  }
  if (groups.postmaster !== undefined && groups.database !== undefined) {
    // Reaped backends land in the postmaster's cutime/cstime; live ones are added as they are now.
    const live = liveBackends(groups.postmaster, groups.database);
    out.postgres =
      cpuSeconds(groups.postmaster, true) + live.reduce((sum, pid) => sum + cpuSeconds(pid, false), 0);
  }
  const usage = process.cpuUsage();
  out.node = (usage.user + usage.system) / 1e6;
  const machine = machineSeconds();
  out["machine: busy"] = machine.busy;
  out["machine: iowait"] = machine.iowait;
  return out;
}

/** Cores used per group between two readings over `seconds` of wall time. */
export function cpuShares(
  before: Record<string, number>,
  after: Record<string, number>,
  seconds: number,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of Object.keys(after)) {
    const share = Math.max(0, (after[name]! - (before[name] ?? 0)) / seconds);
    if (!name.startsWith(THREAD_PREFIX)) {
      out[name] = share;
      continue;
    }
    // Per-thread readings collapse into the busiest thread of their group.
    const group = name.slice(THREAD_PREFIX.length, name.lastIndexOf(":"));
    const key = `${group}: busiest thread`;
    out[key] = Math.max(out[key] ?? 0, share);
  }
  return out;
}
