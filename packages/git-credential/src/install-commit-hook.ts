import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { cliCommand, shellQuote } from "./helper-command.ts";
import { git } from "./run-git.ts";

/** Marks the hook as ours, so running setup again replaces it instead of chaining it to itself. */
const HOOK_MARK = "# gitcred commit-msg hook";

/**
 * Installs the `commit-msg` hook that keeps each commit's author and `Co-authored-by` trailer true to the
 * session (after a downgrade, the bot with the person as co-author). A hook that was there before is kept
 * as `commit-msg.local` and runs first, so setup never silently drops a repository's own checks.
 */
export function installCommitHook(dir: string, configPath: string): void {
  const hooksPath = git(["rev-parse", "--git-path", "hooks"], { cwd: dir });
  const hooksDir = isAbsolute(hooksPath) ? hooksPath : join(dir, hooksPath);
  mkdirSync(hooksDir, { recursive: true });
  const hook = join(hooksDir, "commit-msg");
  const local = join(hooksDir, "commit-msg.local");
  if (existsSync(hook) && !readFileSync(hook, "utf8").includes(HOOK_MARK)) renameSync(hook, local);
  const script = [
    "#!/bin/sh",
    `${HOOK_MARK}: keeps the author and the Co-authored-by trailer true to the session.`,
    `# A hook that was here before runs first (${shellQuote("commit-msg.local")}).`,
    `if [ -x "$(dirname "$0")/commit-msg.local" ]; then "$(dirname "$0")/commit-msg.local" "$@" || exit $?; fi`,
    `exec ${cliCommand()} commit-msg --config ${shellQuote(configPath)} "$1"`,
    "",
  ].join("\n");
  writeFileSync(hook, script, { mode: 0o755 });
  chmodSync(hook, 0o755);
}
