import type { GitAuthor } from "@gitcred/client";
import { noreplyEmail } from "@gitcred/github";
import type { SessionDeps } from "../types.ts";

/**
 * How long the person's identity, as git-token last named it, is reused from memory. After
 * `deleteUserData` git-token names nobody: the session then stops naming them within this long (and at
 * once when it is ended), where a stored copy would have kept their name and e-mail for 30 days.
 */
export const PERSON_MEMO_MS = 10 * 60_000;

/**
 * The person's git identity (`Name <id+login@users.noreply.github.com>`, `users.noreply.<host>` on GHES),
 * for the author of their own commits and the co-author of the bot's. Never stored (data minimisation,
 * #13 §6): from memory while fresh (every token hand-out of theirs refreshes it), else from git-token's
 * `getConnection` (a connection that must reconnect still names them). Null when git-token knows no
 * connection (never connected, disconnected, erased) or cannot be reached (not remembered: asked again
 * next time).
 */
export async function personOf(deps: SessionDeps, userId: string): Promise<GitAuthor | null> {
  const memo = deps.memory.person;
  if (memo !== undefined && deps.now() - memo.at < PERSON_MEMO_MS) return memo.author;
  let author: GitAuthor | null;
  try {
    const connection = await deps.gitToken.getConnection({ userId });
    if (!connection.ok) return null;
    author = connection.connected
      ? {
          name: connection.name ?? connection.login,
          email: noreplyEmail(connection.githubUserId, connection.login, deps.githubApiUrl),
        }
      : null;
  } catch (error) {
    deps.log.warn("could not read the person's connection", { error });
    return null;
  }
  deps.memory.person = { author, at: deps.now() };
  return author;
}
