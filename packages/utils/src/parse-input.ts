import type * as z from "zod";
import { redact } from "./redact.ts";
import type { ParseInputResult } from "./types.ts";

const MAX_ISSUES = 5;
const MAX_SEGMENT = 40;
const MAX_MESSAGE = 500;

function pathOf(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(input)";
  // Keys come from the caller's input: bounded and redacted like any other untrusted text.
  return path.map((segment) => redact(String(segment)).slice(0, MAX_SEGMENT)).join(".");
}

/**
 * Validates RPC input without throwing: a typed value, or `{ ok: false, reason: "invalid_request" }`
 * whose message lists the failing paths and rules. The message never echoes the raw input (it may
 * be huge or hold a token); it is redacted and bounded, so it can be returned and logged as is.
 */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown): ParseInputResult<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues;
  const listed = issues
    .slice(0, MAX_ISSUES)
    .map((issue) => `${pathOf(issue.path)}: ${redact(issue.message)}`);
  if (issues.length > MAX_ISSUES) listed.push(`and ${issues.length - MAX_ISSUES} more`);
  const message = listed.join("; ");
  return {
    ok: false,
    reason: "invalid_request",
    message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message,
  };
}
