import { resolve } from "node:path";
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

/**
 * The proxy mode of `setup` (`setup --proxy`): the clone's remote becomes the session's git proxy
 * (`<session API>/git/<session>/<owner>/<repo>.git`), which holds the GitHub token and injects it; the
 * sandbox keeps only the session secret, sent to the proxy's URLs alone (`http.<proxy>.extraHeader`).
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
  for (const [key, value] of proxyGitConfig(resolved.scope, options.config.secret)) {
    runGit(["config", "--local", "--unset-all", key], { cwd: dir });
    git(["config", "--local", "--add", key, value], { cwd: dir });
  }

  const identity = await applySessionIdentity(dir, gitDir, configPath, options.config, options.wait);
  return { gitDir, configPath, credentialScope: resolved.scope, removedHelpers, identity };
}
