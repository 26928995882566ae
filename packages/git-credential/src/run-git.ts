import { spawnSync } from "node:child_process";

export interface GitRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `git` with arguments (no shell), optionally in `cwd`; never throws for a non-zero exit. */
export function runGit(
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): GitRun {
  const result = spawnSync("git", args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    encoding: "utf8",
  });
  if (result.error !== undefined) throw new Error(`git could not be run: ${result.error.message}`);
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/** Runs `git` and returns its trimmed output; throws with git's message on failure. */
export function git(
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): string {
  const result = runGit(args, options);
  if (result.status !== 0) {
    throw new Error(`git ${args[0] ?? ""} failed: ${result.stderr.trim().split("\n").at(-1) ?? ""}`);
  }
  return result.stdout.trim();
}
