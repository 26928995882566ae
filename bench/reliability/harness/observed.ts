/**
 * What came back to callers during the run, kept for the canary scan: RPC results with their token
 * fields removed (those are the one place a token belongs), HTTP bodies and redirect URLs. Appended per
 * test file as JSON lines under test-results/reliability/observed/.
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { observedDir } from "./paths.ts";

/** Fields whose value is a token by contract (and is scanned nowhere else). */
const TOKEN_FIELDS = new Set(["token"]);

function withoutTokenFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTokenFields);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, TOKEN_FIELDS.has(k) ? "<token field>" : withoutTokenFields(v)]),
  );
}

/** Appends one thing a caller saw (an RPC result is stripped of its token fields first). */
export function recordObserved(file: string, kind: "rpc" | "http" | "redirect", value: unknown): void {
  mkdirSync(observedDir, { recursive: true });
  const body = kind === "rpc" ? withoutTokenFields(value) : value;
  appendFileSync(join(observedDir, `${file}.jsonl`), `${JSON.stringify({ kind, body })}\n`);
}

/** Every line recorded in this run. */
export function readObserved(): string[] {
  if (!existsSync(observedDir)) return [];
  return readdirSync(observedDir).flatMap((f) => readFileSync(join(observedDir, f), "utf8").split("\n"));
}
