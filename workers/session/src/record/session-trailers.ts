import type { GitAuthor } from "@gitcred/client";
import type { SessionRecord } from "../types.ts";

/** Names come from GitHub profiles: no line breaks or angle brackets may reach a commit trailer. */
function clean(text: string): string {
  return text
    .replace(/[\r\n<>]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** `Name <email>` as git writes an identity. */
function formatIdentity(author: GitAuthor): string {
  return `${clean(author.name)} <${clean(author.email)}>`;
}

/**
 * The trailers every commit of the session should carry: when the App's bot commits for a person whose
 * GitHub identity is known (`person`, from memory or git-token: never stored), the person is named as
 * co-author, so the history still says whose work it is.
 */
export function sessionTrailers(record: Pick<SessionRecord, "identity">, person: GitAuthor | null): string[] {
  if (record.identity !== "app" || person === null) return [];
  return [`Co-authored-by: ${formatIdentity(person)}`];
}

/**
 * The git author of the session's commits: the bot's (stored: it is nobody's personal data) when it
 * commits as the App, else the person's, which is never stored and so comes in as `person`.
 */
export function sessionAuthor(
  record: Pick<SessionRecord, "identity" | "author">,
  person: GitAuthor | null,
): GitAuthor | null {
  if (record.identity === "app") return record.author;
  return record.identity === "user" ? person : null;
}
