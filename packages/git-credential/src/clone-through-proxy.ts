import { basename, resolve } from "node:path";
import { resolveProxyRemote } from "./resolve-proxy-remote.ts";
import { runGit } from "./run-git.ts";
import { proxyGitConfig, setupProxyRepository } from "./setup-proxy-repository.ts";
import type { SetupResult } from "./setup-repository.ts";
import type { SessionConfig } from "./types.ts";
import type { WaitOptions } from "./wait-for-session.ts";

/**
 * `clone --proxy <https://<GitHub host>/<owner>/<repo>>`: clones through the session's git proxy, then
 * runs `setup --proxy` in the clone. The secret reaches git through `GIT_CONFIG_*` variables of this one
 * command (not its arguments, which other processes can read), scoped to the proxy's URLs; no credential
 * helper runs, and no GitHub token exists on this side at all.
 */
export async function cloneThroughProxy(options: {
  url: string;
  dir?: string | undefined;
  config: SessionConfig;
  wait?: WaitOptions;
}): Promise<SetupResult & { dir: string }> {
  const resolved = resolveProxyRemote(options.url, options.config);
  if (!resolved.ok) throw new Error(`gitcred clone --proxy refused: ${resolved.message}`);
  const dir = resolve(options.dir ?? basename(resolved.repo));
  const pairs = [["credential.helper", ""], ...proxyGitConfig(resolved.scope, options.config.secret)];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_TERMINAL_PROMPT: "0",
    GIT_CONFIG_COUNT: String(pairs.length),
  };
  pairs.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  const result = runGit(["clone", "--quiet", resolved.url, dir], { env });
  if (result.status !== 0) {
    throw new Error(`git clone failed: ${result.stderr.trim().split("\n").slice(-2).join(" ")}`);
  }
  const setup = await setupProxyRepository({
    dir,
    remote: "origin",
    config: options.config,
    wait: options.wait ?? {},
  });
  return { ...setup, dir };
}
