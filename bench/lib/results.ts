/** The shape of bench/results/latest.json: one run's figures, as the report and the chart read them. */
import type { P1Result } from "./p1-run.ts";
import type { P2Result } from "./p2-latency.ts";
import type { P3Result } from "./p3-storm.ts";
import type { P4Result } from "./p4-throughput.ts";

export interface BenchResults {
  generatedAt: string;
  durationSeconds: number;
  machine: { cores: number; cpu: string; node: string; platform: string; loadAverageAtStart: number[] };
  database: { p1: string; others: string };
  p1: P1Result;
  p2: P2Result;
  p3: P3Result;
  p4: P4Result;
  /** Error-level log lines the workers wrote during the run (none expected). */
  workerErrorLines: number;
}
