import { resolve } from "node:path";
import { applySessionIdentity } from "./apply-session-identity.ts";
import { helperCommand } from "./helper-command.ts";
import { removeStaleHelpers } from "./remove-stale-helpers.ts";
import { resolveRemoteScope } from "./resolve-remote-scope.ts";
import { git, runGit } from "./run-git.ts";
import type { CommitIdentity, SessionConfig } from "./types.ts";
import type { WaitOptions } from "./wait-for-session.ts";
import { writeSessionFile } from "./write-session-file.ts";

export interface SetupResult {
  gitDir: string;
  configPath: string;
  /** The URL prefix the helper answers for (`credential.<prefix>.helper`): `https://<GitHub host>`. */
  credentialScope: string;
  /** Keys an older version (or an earlier setup) left that held this helper, now removed. */
  removedHelpers: string[];
  identity: CommitIdentity;
}

/**
 * Configures a clone to work through the session, so an agent uses plain `git`:
 * - the session (API URL, id, secret) goes to `<git-dir>/gitcred/session.json`, mode 0600, never committed;
 * - the remote must be `https://<the GitHub host>/...`: an ssh, http, missing or other-host remote is
 *   refused before anything is written (an unscoped helper would answer a submodule's or an
 *   `.lfsconfig`'s host; http would carry the token in clear text);
 * - `credential.https://<host>.helper` is this helper (after an empty entry that drops inherited helpers,
 *   so no `store` helper ever writes a token to disk); entries of this helper an older version left,
 *   unscoped or for another URL, are removed; the remote URL is stripped of any credentials;
 * - `user.name`/`user.email` are the session's author, and the trailers are recorded;
 * - a `commit-msg` hook adds the session's trailers and refuses a commit whose author went stale after a
 *   downgrade (the config is fixed first, so running the commit again is right).
 * No token is written anywhere: the helper fetches a fresh one from the session whenever git asks.
 */
export async function setupRepository(options: {
  dir: string;
  remote: string;
  config: SessionConfig;
  wait?: WaitOptions;
}): Promise<SetupResult> {
  const dir = resolve(options.dir);
  const gitDir = git(["rev-parse", "--absolute-git-dir"], { cwd: dir });
  // Fails closed before anything is written: no session file, no helper, for a remote it must not serve.
  const remote = runGit(["remote", "get-url", options.remote], { cwd: dir });
  const resolved = resolveRemoteScope(
    remote.status === 0 ? remote.stdout.trim() : undefined,
    options.config.githubHost,
  );
  if (!resolved.ok) throw new Error(`gitcred setup refused (${resolved.reason}): ${resolved.message}`);
  if (resolved.hadCredentials) git(["remote", "set-url", options.remote, resolved.url], { cwd: dir });

  const configPath = writeSessionFile(gitDir, options.config);

  const command = helperCommand(configPath);
  const removedHelpers = removeStaleHelpers(dir, command);
  const key = `credential.${resolved.scope}.helper`;
  runGit(["config", "--local", "--unset-all", key], { cwd: dir });
  git(["config", "--local", "--add", key, ""], { cwd: dir });
  git(["config", "--local", "--add", key, command], { cwd: dir });

  const identity = await applySessionIdentity(dir, gitDir, configPath, options.config, options.wait);
  return { gitDir, configPath, credentialScope: resolved.scope, removedHelpers, identity };
}
