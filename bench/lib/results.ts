/** The shape of bench/results/latest.json: one run's figures, as the report and the chart read them. */

import type { Goal } from "./goals.ts";
import type { P1Result } from "./p1-run.ts";
import type { P2Result } from "./p2-latency.ts";
import type { P3Result } from "./p3-storm.ts";
import type { P4Result } from "./p4-throughput.ts";
import type { P5Result } from "./p5-scale.ts";
import type { P6Result } from "./p6-proxy.ts";

export interface BenchResults {
  generatedAt: string;
  /** The git commit measured ("-dirty" when the working tree had changes). */
  commit: string;
  durationSeconds: number;
  machine: { cores: number; cpu: string; node: string; platform: string; loadAverageAtStart: number[] };
  database: { p1: string; others: string };
  /** Every goal, measured against its floor in this run (goals.ts). */
  goals: Goal[];
  p1: P1Result;
  p2: P2Result;
  p3: P3Result;
  p4: P4Result;
  p5: P5Result;
  /** The git proxy (absent in results from before it). */
  p6?: P6Result;
  /** Error-level log lines the workers wrote during the run (none expected). */
  workerErrorLines: number;
}
