import { fetchIdentity } from "./fetch-identity.ts";
import { installCommitHook } from "./install-commit-hook.ts";
import { syncIdentity } from "./sync-identity.ts";
import type { CommitIdentity, SessionConfig } from "./types.ts";
import type { WaitOptions } from "./wait-for-session.ts";

/**
 * The last step of `setup`, in either mode: fetches the session's identity (waiting as `wait` says),
 * makes it the clone's `user.name`/`user.email` and trailers, and installs the `commit-msg` hook that
 * reads `configPath`. Throws when the session has no identity yet.
 */
export async function applySessionIdentity(
  dir: string,
  gitDir: string,
  configPath: string,
  config: SessionConfig,
  wait: WaitOptions | undefined,
): Promise<CommitIdentity> {
  const identity = await fetchIdentity(config, wait);
  if (!identity.ok)
    throw new Error(`the session has no identity yet (${identity.reason}): ${identity.message}`);
  syncIdentity(gitDir, identity.value);
  installCommitHook(dir, configPath);
  return identity.value;
}
