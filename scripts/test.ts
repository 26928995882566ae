/**
 * `npm test` / `pnpm test`: the whole suite (every vitest project: workerd pools against real Postgres and
 * the GitHub simulator, plus Node-side simulator checks), then one closing line with the counts.
 * Extra arguments go to vitest (e.g. `pnpm test --project db`).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";

mkdirSync("test-results", { recursive: true });
const report = "test-results/vitest.json";
const result = spawnSync(
  "pnpm",
  [
    "exec",
    "vitest",
    "run",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${report}`,
    ...process.argv.slice(2),
  ],
  { stdio: "inherit" },
);

interface JsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
}
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, "utf8")) as JsonReport;
  console.log(
    `\nvitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`,
  );
}
process.exit(result.status ?? 1);
