/** The instants last formatted, newest last: a warm call names the same few expiries over and over. */
const recent = new Map<number, string>();
const KEEP = 64;

/**
 * `new Date(ms).toISOString()`, remembered for the last few instants: every warm hand-out states its
 * token's expiry, and formatting a date was a tenth of a warm App `getTokenForRepo` (P2 in
 * docs/BENCHMARKS.md). The same instant always formats the same, so remembering is exact.
 */
export function isoTime(ms: number): string {
  const known = recent.get(ms);
  if (known !== undefined) return known;
  const formatted = new Date(ms).toISOString();
  if (recent.size >= KEEP) recent.delete(recent.keys().next().value as number);
  recent.set(ms, formatted);
  return formatted;
}
