/** Vitest globalSetup: builds `dist/cli.js` (the shipped bin) so the end-to-end test runs what users get. */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

export default function setup(): void {
  const script = join(import.meta.dirname, "..", "scripts", "build.ts");
  const result = spawnSync(process.execPath, [script], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`building the CLI failed:\n${result.stdout}\n${result.stderr}`);
}
