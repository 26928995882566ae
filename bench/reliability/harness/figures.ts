/**
 * Figures a test file hands to the report: written as JSON per section while the file runs (so a goal
 * missed half-way is still reported), read by the report writer at the end of the run.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { figuresDir } from "./paths.ts";

export type Section = "fault-matrix" | "database-faults" | "fuzz" | "oauth-attacks" | "races" | "canary";

/** Writes (replaces) a section's figures. */
export function writeFigures(section: Section, figures: unknown): void {
  mkdirSync(figuresDir, { recursive: true });
  writeFileSync(join(figuresDir, `${section}.json`), `${JSON.stringify(figures, null, 2)}\n`);
}

/** Every section's figures recorded in this run. */
export function readFigures(): Partial<Record<Section, unknown>> {
  if (!existsSync(figuresDir)) return {};
  const out: Partial<Record<Section, unknown>> = {};
  for (const file of readdirSync(figuresDir).filter((f) => f.endsWith(".json"))) {
    out[file.slice(0, -5) as Section] = JSON.parse(readFileSync(join(figuresDir, file), "utf8"));
  }
  return out;
}
