import { runGit } from "./run-git.ts";

/** A `credential*.helper` value this helper (any version) wrote: its CLI, with or without `--config`. */
function isOurs(value: string, ourCommand: string): boolean {
  return (
    value === ourCommand ||
    /gitcred[/\\]session\.json|gitcred-credential|git-credential[/\\]dist[/\\]cli\.js/.test(value)
  );
}

/**
 * Removes the clone's local `credential.helper` and `credential.<url>.helper` keys that hold this helper,
 * as an older version (or an earlier setup for another remote) wrote them: an unscoped one answers every
 * host, so a submodule or `.lfsconfig` on an attacker's host would get the token. A key is dropped whole
 * (with the empty entry written before the helper); keys holding only other helpers are kept.
 * Returns the keys removed.
 */
export function removeStaleHelpers(dir: string, ourCommand: string): string[] {
  const listed = runGit(["config", "--local", "--null", "--get-regexp", "^credential\\..*helper$"], {
    cwd: dir,
  });
  // Exit 1: no such key. Anything else is a config git cannot read, which setup reports when it writes.
  if (listed.status !== 0) return [];
  const byKey = new Map<string, string[]>();
  for (const entry of listed.stdout.split("\0")) {
    if (entry === "") continue;
    const newline = entry.indexOf("\n");
    const key = newline < 0 ? entry : entry.slice(0, newline);
    const value = newline < 0 ? "" : entry.slice(newline + 1);
    byKey.set(key, [...(byKey.get(key) ?? []), value]);
  }
  const removed: string[] = [];
  for (const [key, values] of byKey) {
    // `credential.helper` or `credential.<url>.helper` only (not e.g. `credential.<url>.helperx`).
    if (!/^credential\.(.+\.)?helper$/i.test(key)) continue;
    if (!values.some((value) => isOurs(value, ourCommand))) continue;
    runGit(["config", "--local", "--unset-all", key], { cwd: dir });
    removed.push(key);
  }
  return removed;
}
