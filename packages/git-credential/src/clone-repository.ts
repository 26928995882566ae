import { basename, resolve } from "node:path";
import { helperCommand } from "./helper-command.ts";
import { runGit } from "./run-git.ts";
import { type SetupResult, setupRepository } from "./setup-repository.ts";
import { ENV, type SessionConfig } from "./types.ts";
import type { WaitOptions } from "./wait-for-session.ts";

/**
 * `git clone` through the session, then `setup` in the new clone. The clone itself authenticates with
 * this helper given on the command line (`git -c`, not persisted) and the session in the environment;
 * the URL must carry no credentials.
 */
export async function cloneRepository(options: {
  url: string;
  dir?: string | undefined;
  config: SessionConfig;
  wait?: WaitOptions;
}): Promise<SetupResult & { dir: string }> {
  if (URL.canParse(options.url)) {
    const parsed = new URL(options.url);
    if (parsed.username !== "" || parsed.password !== "")
      throw new Error("the clone URL must not contain credentials");
  }
  const dir = resolve(options.dir ?? basename(options.url.replace(/\/+$/, "")).replace(/\.git$/, ""));
  const env = {
    ...process.env,
    [ENV.url]: options.config.apiUrl,
    [ENV.id]: options.config.sessionId,
    [ENV.secret]: options.config.secret,
    GIT_TERMINAL_PROMPT: "0",
  };
  const result = runGit(
    [
      "-c",
      "credential.helper=",
      "-c",
      `credential.helper=${helperCommand(undefined)}`,
      "clone",
      "--quiet",
      options.url,
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
