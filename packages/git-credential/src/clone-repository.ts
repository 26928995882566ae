import { basename, resolve } from "node:path";
import { helperCommand } from "./helper-command.ts";
import { resolveRemoteScope } from "./resolve-remote-scope.ts";
import { runGit } from "./run-git.ts";
import { type SetupResult, setupRepository } from "./setup-repository.ts";
import { ENV, type SessionConfig } from "./types.ts";
import type { WaitOptions } from "./wait-for-session.ts";

/**
 * `git clone` through the session, then `setup` in the new clone. Only `https://<the GitHub host>/...`
 * is cloned (anything else is refused before git runs: the token must not go to another host or over
 * http). The clone authenticates with this helper given on the command line (`git -c`, not persisted)
 * and scoped to that URL, as setup scopes it: a clone-time `.lfsconfig` `lfs.url` or a filter on another
 * host gets nothing. The URL must carry no credentials.
 */
export async function cloneRepository(options: {
  url: string;
  dir?: string | undefined;
  config: SessionConfig;
  wait?: WaitOptions;
}): Promise<SetupResult & { dir: string }> {
  const resolved = resolveRemoteScope(options.url, options.config.githubHost);
  if (!resolved.ok) throw new Error(`gitcred clone refused (${resolved.reason}): ${resolved.message}`);
  if (resolved.hadCredentials) throw new Error("the clone URL must not contain credentials");
  const dir = resolve(options.dir ?? basename(options.url.replace(/\/+$/, "")).replace(/\.git$/, ""));
  const env = {
    ...process.env,
    [ENV.url]: options.config.apiUrl,
    [ENV.id]: options.config.sessionId,
    [ENV.secret]: options.config.secret,
    [ENV.githubHost]: options.config.githubHost,
    GIT_TERMINAL_PROMPT: "0",
  };
  const result = runGit(
    [
      // The empty entry drops inherited helpers (a `store` helper would write the token to disk); the
      // scoped one answers the GitHub host only (an unscoped one answered every host git asked about).
      "-c",
      "credential.helper=",
      "-c",
      `credential.${resolved.scope}.helper=${helperCommand(undefined)}`,
      "clone",
      "--quiet",
      resolved.url,
      dir,
    ],
    { env },
  );
  if (result.status !== 0)
    throw new Error(`git clone failed: ${result.stderr.trim().split("\n").at(-1) ?? ""}`);
  const setup = await setupRepository({
    dir,
    remote: "origin",
    config: options.config,
    wait: options.wait ?? {},
  });
  return { ...setup, dir };
}
