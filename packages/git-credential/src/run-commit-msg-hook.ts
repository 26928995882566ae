import { fetchIdentity } from "./fetch-identity.ts";
import { git, runGit } from "./run-git.ts";
import { readSyncedIdentity, syncIdentity } from "./sync-identity.ts";
import type { CommitIdentity, SessionConfig } from "./types.ts";

export type HookOutcome = { ok: true } | { ok: false; message: string };

/**
 * The `commit-msg` hook: asks the session who commits now (5 s at most; else what the helper last wrote
 * into the config), brings the config in line, and appends the session's trailers
 * (`git interpret-trailers`, so an existing trailer block is extended, never duplicated). A commit whose
 * author came from a config that went stale — the session switched to the App's bot since — is refused
 * with a message: its author would not be true, and the next attempt (config fixed) is.
 */
export async function runCommitMsgHook(options: {
  messageFile: string;
  gitDir: string;
  config: SessionConfig | undefined;
  env: NodeJS.ProcessEnv;
}): Promise<HookOutcome> {
  const stale = readSyncedIdentity(options.gitDir);
  let identity: CommitIdentity | undefined = stale;
  if (options.config !== undefined) {
    const fresh = await fetchIdentity(options.config, { maxWaitMs: 0, timeoutMs: 5_000 });
    if (fresh.ok) {
      identity = fresh.value;
      syncIdentity(options.gitDir, fresh.value);
    }
  }
  if (identity === undefined) return { ok: true };
  for (const trailer of identity.commitTrailers) {
    git([
      "--git-dir",
      options.gitDir,
      "interpret-trailers",
      "--in-place",
      "--if-exists",
      "addIfDifferent",
      "--trailer",
      trailer,
      options.messageFile,
    ]);
  }
  const authorEmail =
    options.env.GIT_AUTHOR_EMAIL ??
    runGit(["--git-dir", options.gitDir, "var", "GIT_AUTHOR_IDENT"]).stdout.replace(/^.*<([^>]*)>.*$/s, "$1");
  const fromStaleConfig = stale !== undefined && authorEmail === stale.author.email;
  if (fromStaleConfig && authorEmail !== identity.author.email) {
    return {
      ok: false,
      message:
        `gitcred: this session now commits as ${identity.author.name} <${identity.author.email}>` +
        (identity.downgraded ? " (the person's GitHub token no longer works)" : "") +
        "; git config is updated — run the commit again.",
    };
  }
  return { ok: true };
}
