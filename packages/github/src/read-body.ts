import type { GitHubFailure } from "./types.ts";

/** A JSON object from GitHub, read field by field without trusting its shape. */
export interface BodyReader {
  string(key: string): string | undefined;
  number(key: string): number | undefined;
  boolean(key: string): boolean | undefined;
  object(key: string): BodyReader | undefined;
  array(key: string): BodyReader[] | undefined;
}

/**
 * Wraps a parsed JSON body so fields are read with their types checked: GitHub (or a proxy, or the
 * simulator) answering something unexpected becomes a typed `github_unavailable`, never a TypeError
 * thrown from deep inside a caller.
 */
export function readBody(body: unknown): BodyReader | undefined {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined;
  const record = body as Record<string, unknown>;
  return {
    string: (key) => (typeof record[key] === "string" ? (record[key] as string) : undefined),
    number: (key) => {
      const value = record[key];
      return typeof value === "number" && Number.isFinite(value) ? value : undefined;
    },
    boolean: (key) => (typeof record[key] === "boolean" ? (record[key] as boolean) : undefined),
    object: (key) => readBody(record[key]),
    array: (key) => {
      const value = record[key];
      if (!Array.isArray(value)) return undefined;
      return value.map((item) => readBody(item)).filter((item) => item !== undefined);
    },
  };
}

/** The failure for a 2xx answer whose body lacks what GitHub documents. */
export function unexpectedShape(what: string, status?: number): GitHubFailure {
  return {
    ok: false,
    reason: "github_unavailable",
    message: `GitHub's answer to ${what} did not have the documented shape`,
    ...(status === undefined ? {} : { status }),
    retryAfterSeconds: 5,
  };
}

/** Parses an ISO time from GitHub; undefined when absent or invalid. */
export function parseTime(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}
