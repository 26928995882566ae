import { errorFields } from "./error-fields.ts";
import { isSecretKey } from "./is-secret-key.ts";
import { REDACTED, redact } from "./redact.ts";

/** Bounds for `redactValue`; the defaults keep a log line readable and its cost predictable. */
export type RedactValueOptions = {
  /** Nesting depth kept; deeper values become "[Truncated]". Default 8. */
  maxDepth?: number;
  /** Strings are cut (after redaction) to this many characters. Default: no limit. */
  maxStringLength?: number;
  /** Arrays keep this many items, then a "[+N more]" marker. Default 100. */
  maxArrayLength?: number;
};

type Walk = {
  maxDepth: number;
  maxStringLength: number;
  maxArrayLength: number;
  ancestors: WeakSet<object>;
};

function redactString(text: string, walk: Walk): string {
  const redacted = redact(text);
  return redacted.length > walk.maxStringLength ? `${redacted.slice(0, walk.maxStringLength)}…` : redacted;
}

function walkEntries(
  entries: Iterable<[string, unknown]>,
  depth: number,
  walk: Walk,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    // The key itself can carry a secret (a token used as a map key), and a hostile key must not
    // become `__proto__` of the copy.
    const safeKey = redactString(key, walk);
    if (safeKey === "__proto__") continue;
    out[safeKey] = isSecretKey(key) ? REDACTED : walkValue(value, depth + 1, walk);
  }
  return out;
}

function ownEntries(value: object): [string, unknown][] {
  const entries: [string, unknown][] = [];
  for (const key of Object.keys(value)) {
    try {
      entries.push([key, (value as Record<string, unknown>)[key]]);
    } catch {
      entries.push([key, "[Unreadable]"]);
    }
  }
  return entries;
}

function walkValue(value: unknown, depth: number, walk: Walk): unknown {
  switch (typeof value) {
    case "string":
      return redactString(value, walk);
    case "number":
    case "boolean":
    case "undefined":
      return value;
    case "bigint":
      return value.toString();
    case "symbol":
      return redactString(value.toString(), walk);
    case "function":
      return "[Function]";
  }
  if (value === null) return null;
  const object = value as object;
  if (depth >= walk.maxDepth) return "[Truncated]";
  if (walk.ancestors.has(object)) return "[Circular]";
  // Errors (octokit's RequestError above all) carry request bodies and headers: name/status/message only.
  if (object instanceof Error) return errorFields(object);
  if (object instanceof Date) return Number.isNaN(object.getTime()) ? "Invalid Date" : object.toISOString();
  if (object instanceof URL) return redactString(object.href, walk);
  // Raw bytes may be key material or a token; their length is all a log needs.
  if (object instanceof ArrayBuffer) return `[binary ${object.byteLength} bytes]`;
  if (ArrayBuffer.isView(object)) return `[binary ${object.byteLength} bytes]`;
  if (typeof CryptoKey !== "undefined" && object instanceof CryptoKey) return "[CryptoKey]";

  walk.ancestors.add(object);
  try {
    if (Array.isArray(object)) {
      const items: unknown[] = object
        .slice(0, walk.maxArrayLength)
        .map((item) => walkValue(item, depth + 1, walk));
      if (object.length > walk.maxArrayLength) items.push(`[+${object.length - walk.maxArrayLength} more]`);
      return items;
    }
    if (object instanceof Headers) return walkEntries(object.entries(), depth, walk);
    if (object instanceof Map) {
      const entries: [string, unknown][] = [];
      for (const [key, item] of object) entries.push([String(key), item]);
      return walkEntries(entries, depth, walk);
    }
    if (object instanceof Set) return walkValue([...object], depth, walk);
    return walkEntries(ownEntries(object), depth, walk);
  } finally {
    walk.ancestors.delete(object);
  }
}

/**
 * Deep copy of `value` safe to log: every string goes through `redact`, the value of every key named
 * like a secret (`access_token`, `refreshToken`, `authorization`, `cookie`, `state`, `code`,
 * `*_token`, `*_secret`, ...) becomes "[REDACTED]" whatever its shape, errors shrink to
 * `errorFields`, bytes to their length. `*_enc` ciphertexts are kept. Depth is bounded and cycles
 * become "[Circular]", so any object can be passed without hanging or exploding a log line.
 */
export function redactValue(value: unknown, options: RedactValueOptions = {}): unknown {
  return walkValue(value, 0, {
    maxDepth: options.maxDepth ?? 8,
    maxStringLength: options.maxStringLength ?? Number.POSITIVE_INFINITY,
    maxArrayLength: options.maxArrayLength ?? 100,
    ancestors: new WeakSet(),
  });
}
