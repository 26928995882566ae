const PREFIX = "gitcred:v1";

// `|` separates parts and `%` escapes; escaping both keeps the encoding injective, so
// ("a|b", "c") and ("a", "b|c") can never produce the same AAD.
function escapePart(part: string): string {
  return part.replace(/%/g, "%25").replace(/\|/g, "%7C");
}

function checkPart(part: string | number, what: string): string {
  if (typeof part === "number") {
    if (!Number.isFinite(part)) throw new TypeError(`secretAad: ${what} must be a finite number`);
    return String(part);
  }
  if (typeof part !== "string" || part === "")
    throw new TypeError(`secretAad: ${what} must be a non-empty string`);
  return escapePart(part);
}

/**
 * The canonical AAD binding a ciphertext to its place: `gitcred:v1|<table>|<column>|<owner...>`,
 * e.g. `gitcred:v1|github_user_tokens|access_token_enc|user-1|12345`. Every writer and reader builds
 * it here, so a ciphertext moved to another row, column or owner fails to decrypt.
 */
export function secretAad(table: string, column: string, ...owner: (string | number)[]): string {
  if (owner.length === 0) throw new TypeError("secretAad: at least one owner part is required");
  const parts = [checkPart(table, "table"), checkPart(column, "column")];
  for (const part of owner) parts.push(checkPart(part, "owner part"));
  return [PREFIX, ...parts].join("|");
}
