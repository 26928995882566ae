/** The attributes git sends a credential helper (`protocol`, `host`, `path`, `username`, `password`, ...). */
export type CredentialAttributes = Record<string, string>;

/**
 * Parses git's credential protocol input: `key=value` lines up to a blank line or the end. Keys may
 * repeat (`wwwauth[]`); the last value wins, which is all a helper for one host needs. A value may
 * contain `=`; nothing is unescaped (git does not escape).
 */
export function parseCredentialRequest(text: string): CredentialAttributes {
  const attributes: CredentialAttributes = {};
  for (const line of text.split("\n")) {
    const trimmed = line.replace(/\r$/, "");
    if (trimmed === "") break;
    const eq = trimmed.indexOf("=");
    if (eq <= 0) continue;
    attributes[trimmed.slice(0, eq)] = trimmed.slice(eq + 1);
  }
  return attributes;
}

/**
 * Formats attributes for git. A value with a newline or NUL would end the record or inject another
 * attribute, so such a value is refused (a token never has one).
 */
export function formatCredentialResponse(attributes: CredentialAttributes): string {
  let out = "";
  for (const [key, value] of Object.entries(attributes)) {
    if (/[\n\0]/.test(key) || /[\n\0]/.test(value))
      throw new Error(`credential attribute ${key} is not one line`);
    out += `${key}=${value}\n`;
  }
  return out;
}
