import type { SessionDeps, SettledVerdict } from "../types.ts";

/**
 * After GitHub was asked about a refused token and answered "it works" (or "it works, but not for this
 * repository"), that verdict stands this long for the same token hash. Without it every
 * `/credentials/rejected` carrying the current token's hash costs a token check at GitHub (git-token's
 * settle) plus a repository read: a sandbox in a loop, or a malicious one, spends the App's OAuth budget
 * that every person's refresh depends on. A dead token is replaced (its hash is no longer current) and a
 * transient answer is not remembered: neither needs a cooldown.
 */
export const REJECTION_COOLDOWN_MS = 60_000;
/** Verdicts remembered at most (a session holds one token at a time; a few hashes cover any churn). */
const MAX_VERDICTS = 16;

/** The verdict on `sha256` if GitHub gave it less than `REJECTION_COOLDOWN_MS` ago. */
export function recentVerdict(deps: SessionDeps, sha256: string): SettledVerdict | undefined {
  const entry = deps.memory.settled?.get(sha256);
  if (entry === undefined) return undefined;
  if (deps.now() - entry.at < REJECTION_COOLDOWN_MS) return entry;
  deps.memory.settled?.delete(sha256);
  return undefined;
}

/** Remembers GitHub's verdict on a refused token (memory only; bounded, oldest dropped first). */
export function rememberVerdict(deps: SessionDeps, sha256: string, verdict: SettledVerdict["verdict"]): void {
  deps.memory.settled ??= new Map();
  const settled = deps.memory.settled;
  settled.delete(sha256);
  settled.set(sha256, { at: deps.now(), verdict });
  while (settled.size > MAX_VERDICTS) {
    const oldest = settled.keys().next().value;
    if (oldest === undefined) break;
    settled.delete(oldest);
  }
}
