import { git, runGit } from "./run-git.ts";
import type { CommitIdentity } from "./types.ts";

function read(gitDir: string, key: string): string[] {
  const result = runGit(["--git-dir", gitDir, "config", "--local", "--get-all", key]);
  return result.status === 0 ? result.stdout.split("\n").filter((line) => line !== "") : [];
}

/**
 * What the helper last wrote into the clone's config: `user.name`/`user.email`, the trailers
 * (`gitcred.trailer`, one per value) and whose identity it is. The commit hook falls back to it when the
 * session API cannot be reached, so committing never waits on the network.
 */
export function readSyncedIdentity(gitDir: string): CommitIdentity | undefined {
  const [name] = read(gitDir, "user.name");
  const [email] = read(gitDir, "user.email");
  const [kind] = read(gitDir, "gitcred.identity");
  if (name === undefined || email === undefined || (kind !== "user" && kind !== "app")) return undefined;
  return {
    identity: kind,
    author: { name, email },
    commitTrailers: read(gitDir, "gitcred.trailer"),
    downgraded: read(gitDir, "gitcred.downgraded")[0] === "true",
  };
}

/**
 * Makes the clone's git config say what the session says: after a downgrade the next commit is the bot's,
 * with the person as co-author. Writes only what changed. Identity only: no token ever goes into git config.
 */
export function syncIdentity(gitDir: string, identity: CommitIdentity): boolean {
  const current = readSyncedIdentity(gitDir);
  const same =
    current !== undefined &&
    current.identity === identity.identity &&
    current.author.name === identity.author.name &&
    current.author.email === identity.author.email &&
    current.downgraded === identity.downgraded &&
    current.commitTrailers.join("\n") === identity.commitTrailers.join("\n");
  if (same) return false;
  const set = (key: string, value: string) => git(["--git-dir", gitDir, "config", "--local", key, value]);
  set("user.name", identity.author.name);
  set("user.email", identity.author.email);
  set("gitcred.identity", identity.identity);
  set("gitcred.downgraded", String(identity.downgraded));
  runGit(["--git-dir", gitDir, "config", "--local", "--unset-all", "gitcred.trailer"]);
  for (const trailer of identity.commitTrailers) {
    git(["--git-dir", gitDir, "config", "--local", "--add", "gitcred.trailer", trailer]);
  }
  return true;
}
