/**
 * `pnpm bench`: P2–P4 on the workers as deployed, then P1 on their time-warp builds; writes
 * bench/results/latest.json, docs/BENCHMARKS.md and docs/benchmarks.svg. Exits non-zero only when a
 * phase could not run; missed goals are reported (and explained) in the report, not hidden.
 * `pnpm bench --report-only` re-renders the report and chart from the last results without measuring.
 */

import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { root } from "./lib/build.ts";
import { renderChart } from "./lib/chart.ts";
import { formatDocs } from "./lib/format-docs.ts";
import { goalsOf } from "./lib/goals.ts";
import { p5From, scaledShape } from "./lib/p5-scale.ts";
import { runP6 } from "./lib/p6-proxy.ts";
import { runP1Phase } from "./lib/phase-p1.ts";
import { runProductionPhase } from "./lib/phase-production.ts";
import { renderReport } from "./lib/report.ts";
import type { BenchResults } from "./lib/results.ts";

for (const [key, value] of Object.entries({
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
  DO_NOT_TRACK: "1",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
})) {
  process.env[key] ??= value;
}

const resultsPath = join(root, "bench", "results", "latest.json");
if (process.argv.includes("--report-only")) {
  const last = JSON.parse(readFileSync(resultsPath, "utf8")) as BenchResults;
  writeFileSync(join(root, "docs", "benchmarks.svg"), renderChart(last));
  writeFileSync(join(root, "docs", "BENCHMARKS.md"), renderReport(last));
  formatDocs(["docs/BENCHMARKS.md"]);
  console.log("re-rendered docs/BENCHMARKS.md and docs/benchmarks.svg from bench/results/latest.json");
  process.exit(0);
}

/** The git commit measured (with "-dirty" when the working tree differs from it). */
function commitMeasured(): string {
  const git = (...args: string[]) => execFileSync("git", args, { cwd: root, encoding: "utf8" }).trim();
  try {
    return `${git("rev-parse", "HEAD")}${git("status", "--porcelain", "--untracked-files=no") === "" ? "" : "-dirty"}`;
  } catch {
    return "unknown";
  }
}

const started = performance.now();
const log = (line: string) =>
  console.log(`[bench ${Math.round((performance.now() - started) / 1000)}s] ${line}`);
const loadAtStart = loadavg().map((v) => Math.round(v * 100) / 100);

log("building bundles and starting the suite (P2–P4)…");
const production = await runProductionPhase(log);
log("building time-warp bundles and starting a fresh suite (P1, and P5 at × 1)…");
const p1 = await runP1Phase(log);
log("a fresh suite for P5 at × 10 (2,000 sessions)…");
const p1Times10 = await runP1Phase(log, scaledShape(10));
const p5 = p5From(p1, p1Times10);
log("a fresh suite and an https git server for P6 (the git proxy: clone + push, time to first byte)…");
const p6 = await runP6(log);
const measured = { p1: p1.result, p2: production.p2, p3: production.p3, p4: production.p4, p5, p6 };

const results: BenchResults = {
  generatedAt: new Date().toISOString(),
  commit: commitMeasured(),
  durationSeconds: Math.round((performance.now() - started) / 100) / 10,
  machine: {
    cores: cpus().length,
    cpu: cpus()[0]?.model.trim() ?? "unknown",
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverageAtStart: loadAtStart,
  },
  database: { p1: p1.server, others: production.server },
  goals: goalsOf(measured),
  ...measured,
  workerErrorLines:
    p1.errorLogLines.length + p1Times10.errorLogLines.length + production.errorLogLines.length,
};

mkdirSync(join(root, "bench", "results"), { recursive: true });
writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(root, "docs", "benchmarks.svg"), renderChart(results));
writeFileSync(join(root, "docs", "BENCHMARKS.md"), renderReport(results));
formatDocs(["docs/BENCHMARKS.md"]);
for (const line of [...production.errorLogLines, ...p1.errorLogLines, ...p1Times10.errorLogLines].slice(
  0,
  10,
))
  log(`worker error: ${line}`);
for (const g of results.goals)
  log(
    `${g.id} ${g.what}: ${g.measured} ${g.unit} (goal ${g.compare} ${g.goal}): ${g.met ? "met" : "MISSED"}`,
  );
log("wrote bench/results/latest.json, docs/BENCHMARKS.md, docs/benchmarks.svg");
