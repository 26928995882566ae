import { chmodSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { applySessionIdentity } from "./apply-session-identity.ts";
import { helperCommand } from "./helper-command.ts";
import { removeStaleHelpers } from "./remove-stale-helpers.ts";
import { resolveProxyRemote } from "./resolve-proxy-remote.ts";
import { git, runGit } from "./run-git.ts";
import type { SetupResult } from "./setup-repository.ts";
import type { SessionConfig } from "./types.ts";
import type { WaitOptions } from "./wait-for-session.ts";
import { writeSessionFile } from "./write-session-file.ts";

/** The git config that sends the session secret to the proxy, and to nothing else. */
export function proxyGitConfig(scope: string, secret: string): [key: string, value: string][] {
  return [
    // Sent on every request to URLs under the scope only (git matches http.<url>.* by path prefix).
    [`http.${scope}.extraHeader`, `Authorization: Bearer ${secret}`],
    // No helper answers for the proxy: there is nothing to store, and no prompt should ever appear.
    [`credential.${scope}.helper`, ""],
  ];
}

/** A value or subsection name in git's config-file syntax: quoted, with `\\` and `"` escaped. */
function quoted(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/**
 * Writes the secret's header to `<git-dir>/gitcred/proxy.gitconfig` (mode 0600, in the session file's
 * 0700 directory) and returns its path, for `.git/config` to include. Never through `git config
 * <key> <value>`: a process's arguments are readable by every local user (`ps`, /proc/<pid>/cmdline),
 * and `.git/config` is as readable as the umask makes it (0644 under the usual 022); the secret alone
 * is the proxy credential, from anywhere that reaches the session worker.
 */
export function writeProxySecretConfig(stateDir: string, scope: string, secret: string): string {
  // A line break would end the value early and let the rest be read as config of its own.
  if (/[\r\n\0]/.test(scope + secret))
    throw new Error("gitcred: the proxy's URL or secret holds a line break");
  const path = join(stateDir, "proxy.gitconfig");
  const header = `Authorization: Bearer ${secret}`;
  writeFileSync(path, `[http ${quoted(scope)}]\n\textraHeader = ${quoted(header)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}

/**
 * The proxy mode of `setup` (`setup --proxy`): the clone's remote becomes the session's git proxy
 * (`<session API>/git/<session>/<owner>/<repo>.git`), which holds the GitHub token and injects it; the
 * sandbox keeps only the session secret, sent to the proxy's URLs alone (`http.<proxy>.extraHeader`, in
 * the 0600 file `writeProxySecretConfig` writes).
 * No GitHub token is written anywhere and none is ever fetched: this helper is removed from every
 * credential entry (an entry of the token mode would fetch one), and the session itself refuses the
 * sandbox a token (`proxy_only`). Identity and commit hook as in the token mode. The remote must be
 * `https://<the GitHub host>/<owner>/<repo>` (or already the proxy); anything else is refused before
 * anything is written.
 */
export async function setupProxyRepository(options: {
  dir: string;
  remote: string;
  config: SessionConfig;
  wait?: WaitOptions;
}): Promise<SetupResult> {
  const dir = resolve(options.dir);
  const gitDir = git(["rev-parse", "--absolute-git-dir"], { cwd: dir });
  const remote = runGit(["remote", "get-url", options.remote], { cwd: dir });
  const resolved = resolveProxyRemote(remote.status === 0 ? remote.stdout.trim() : undefined, options.config);
  if (!resolved.ok) throw new Error(`gitcred setup --proxy refused: ${resolved.message}`);

  const configPath = writeSessionFile(gitDir, { ...options.config, mode: "proxy" });

  const removedHelpers = removeStaleHelpers(dir, helperCommand(configPath));
  git(["remote", "set-url", options.remote, resolved.url], { cwd: dir });
  // The secret only in a file of its own (see writeProxySecretConfig), never in an argument; an earlier
  // setup's copy in .git/config goes.
  runGit(["config", "--local", "--unset-all", `http.${resolved.scope}.extraHeader`], { cwd: dir });
  const secretConfig = writeProxySecretConfig(dirname(configPath), resolved.scope, options.config.secret);
  runGit(["config", "--local", "--unset-all", "include.path", "gitcred/proxy\\.gitconfig$"], { cwd: dir });
  git(["config", "--local", "--add", "include.path", secretConfig], { cwd: dir });
  // No helper answers for the proxy: there is nothing to store, and no prompt should ever appear.
  runGit(["config", "--local", "--unset-all", `credential.${resolved.scope}.helper`], { cwd: dir });
  git(["config", "--local", "--add", `credential.${resolved.scope}.helper`, ""], { cwd: dir });

  const identity = await applySessionIdentity(dir, gitDir, configPath, options.config, options.wait);
  return { gitDir, configPath, credentialScope: resolved.scope, removedHelpers, identity };
}
