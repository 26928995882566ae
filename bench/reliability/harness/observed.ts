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

/**
 * Appends one thing a caller saw (an RPC result is stripped of its token fields first). `personOnly`
 * marks what only the person sees (their own settings page): a SAML SSO authorize URL belongs there.
 */
export function recordObserved(
  file: string,
  kind: "rpc" | "http" | "redirect",
  value: unknown,
  personOnly = false,
): void {
  mkdirSync(observedDir, { recursive: true });
  const body = kind === "rpc" ? withoutTokenFields(value) : value;
  const line = personOnly ? { kind, personOnly, body } : { kind, body };
  appendFileSync(join(observedDir, `${file}.jsonl`), `${JSON.stringify(line)}\n`);
}

/** Every line recorded in this run (`personOnly`: only those, or only the others). */
export function readObserved(personOnly?: boolean): string[] {
  if (!existsSync(observedDir)) return [];
  const lines = readdirSync(observedDir).flatMap((f) =>
    readFileSync(join(observedDir, f), "utf8").split("\n"),
  );
  if (personOnly === undefined) return lines;
  return lines.filter(
    (line) => line.startsWith('{"kind":') && line.includes('"personOnly":true') === personOnly,
  );
}
