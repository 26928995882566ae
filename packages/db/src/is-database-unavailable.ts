/**
 * True when an error means "the database could not be reached or dropped us" (a transient condition the
 * caller reports as `*_unavailable`), as opposed to a bug or a constraint violation.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (
      typeof code === "string" &&
      (code.startsWith("08") || code === "57P01" || code === "57P02" || code === "57P03")
    ) {
      return true;
    }
    if (
      /connection|network|socket|websocket|terminat|timeout|ECONNREFUSED|ECONNRESET/i.test(current.message)
    ) {
      return true;
    }
    current = current.cause;
  }
  return false;
}
