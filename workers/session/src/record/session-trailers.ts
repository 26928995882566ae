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
export function formatIdentity(author: GitAuthor): string {
  return `${clean(author.name)} <${clean(author.email)}>`;
}

/**
 * The trailers every commit of the session should carry: when the App's bot commits for a person whose
 * GitHub identity is known, the person is named as co-author, so the history still says whose work it is.
 */
export function sessionTrailers(record: SessionRecord): string[] {
  if (record.identity !== "app" || record.person === null) return [];
  return [`Co-authored-by: ${formatIdentity(record.person)}`];
}
