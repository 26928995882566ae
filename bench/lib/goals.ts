/**
 * The performance goals of one run, machine-readable (`goals` in bench/results/latest.json): each a
 * ratio to a floor measured in the same run, with the goal it is held to. A goal that is missed stays
 * in the list as missed; the report explains it from the run's own figures. Never move a goal to fit.
 */
import type { P1Result } from "./p1-run.ts";
import type { P2Result } from "./p2-latency.ts";
import type { P3Result } from "./p3-storm.ts";
import type { P4Result } from "./p4-throughput.ts";
import type { P5Result } from "./p5-scale.ts";
import type { P6Result } from "./p6-proxy.ts";
import { round } from "./stats.ts";

export interface Goal {
  id: "P1" | "P2" | "P3" | "P4" | "P5" | "P6";
  /** What is measured, in one line. */
  what: string;
  measured: number;
  goal: number;
  /** How `measured` is compared with `goal`. */
  compare: "<=" | ">=" | "==";
  met: boolean;
  unit: string;
}

function held(measured: number, compare: Goal["compare"], goal: number): boolean {
  return compare === "<=" ? measured <= goal : compare === ">=" ? measured >= goal : measured === goal;
}

function goal(g: Omit<Goal, "met">, alsoRequired = true): Goal {
  return { ...g, met: alsoRequired && held(g.measured, g.compare, g.goal) };
}

/**
 * The P4 goal's figure: preparations/s at the highest level ÷ bare objects committing one record/s —
 * the median of the level's back-to-back pairs where it ran several, else its one pair.
 */
export function p4Ratio(p4: P4Result): { concurrency: number; ratio: number } {
  const top = p4.levels.reduce((a, b) => (b.concurrency > a.concurrency ? b : a));
  const pairs = [...(top.pairedRatios ?? [])].sort((a, b) => a - b);
  const ratio =
    pairs.length > 0 ? pairs[Math.floor(pairs.length / 2)]! : top.perSecond / top.emptyObjectsPerSecond;
  return { concurrency: top.concurrency, ratio: round(ratio) };
}

/** Every goal of the run, in order; each `met` also requires the run's correctness checks to hold. */
export function goalsOf(r: {
  p1: P1Result;
  p2: P2Result;
  p3: P3Result;
  p4: P4Result;
  p5?: P5Result;
  p6?: P6Result;
}): Goal[] {
  const p2Worst = (key: "ratioP50" | "ratioP99") => Math.max(...Object.values(r.p2.ops).map((o) => o[key]));
  const p2Clean = Object.values(r.p2.outcomes).every((o) => Object.keys(o).every((label) => label === "ok"));
  const p4 = p4Ratio(r.p4);
  const goals: Goal[] = [
    goal({
      id: "P1",
      what: "GitHub calls ÷ the contract minimum, 10 simulated hours",
      measured: r.p1.ratio.contract,
      compare: "<=",
      goal: 1.05,
      unit: "× minimum",
    }),
    goal(
      {
        id: "P2",
        what: "warm calls p50 ÷ ping p50 on the same binding (worst of the three)",
        measured: p2Worst("ratioP50"),
        compare: "<=",
        goal: 1.2,
        unit: "× ping",
      },
      p2Clean,
    ),
    goal({
      id: "P3",
      what: `refresh calls for ${r.p3.callers} concurrent callers on an expired token`,
      measured: r.p3.refreshCalls,
      compare: "==",
      goal: 1,
      unit: "refreshes",
    }),
    goal(
      {
        id: "P3",
        what: "storm p99 ÷ (one refresh + p99 of the same storm with a fresh token)",
        measured: r.p3.ratioP99,
        compare: "<=",
        goal: 1.05,
        unit: "×",
      },
      r.p3.outcomes.ok === r.p3.callers && r.p3.distinctTokens === 1,
    ),
    goal({
      id: "P4",
      what: `preparations/s at concurrency ${p4.concurrency} ÷ bare objects committing one record/s`,
      measured: p4.ratio,
      compare: ">=",
      goal: 0.9,
      unit: "×",
    }),
  ];
  if (r.p5 !== undefined) {
    goals.push(
      ...r.p5.sizes.map((size) =>
        goal({
          id: "P5",
          what: `GitHub calls ÷ the minimum at × ${size.scale} (${size.sessions} sessions)`,
          measured: size.ratio,
          compare: "<=",
          goal: 1.05,
          unit: "× minimum",
        }),
      ),
      goal({
        id: "P5",
        what: "work time at × 10 ÷ (10 × work time at × 1)",
        measured: r.p5.growth,
        compare: "<=",
        goal: 1.1,
        unit: "×",
      }),
    );
  }
  if (r.p6 !== undefined) {
    goals.push(
      goal(
        {
          id: "P6",
          what: `clone + push of a ${r.p6.repositoryMB} MB repository (+ ${r.p6.pushMB} MB) through the git proxy ÷ directly`,
          measured: r.p6.ratio,
          compare: "<=",
          goal: 1.1,
          unit: "×",
        },
        r.p6.clean,
      ),
      goal({
        id: "P6",
        what: "time to first byte the git proxy adds ÷ one warm getGitCredentials",
        measured: r.p6.ttfbRatio,
        compare: "<=",
        goal: 1.2,
        unit: "×",
      }),
    );
  }
  return goals;
}
