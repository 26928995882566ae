/** The marker that replaces every secret. */
export const REDACTED = "[REDACTED]";

// A value that is already a marker (optionally behind a kept prefix such as `ghu_`) is left alone,
// so redacting twice (message, then the serialized line) gives the same text.
const NOT_REDACTED = String.raw`(?![A-Za-z0-9_]*\[REDACTED\])`;

// Names of fields whose value is a secret, in text (JSON, form, query, `name: value`). Matching is
// case-insensitive and `_` optional so camelCase (`refreshToken`, `clientSecret`) is covered too.
// Any name ending in token/secret/password counts (`installation_token`, `webhookSecret`), but
// `*_enc` columns hold ciphertext and are deliberately not matched: the name must end right there.
const SECRET_FIELD = [
  "[A-Za-z0-9_]*?(?:token|secret|password|passwd|private_?key|code_?verifier|client_?assertion)",
  "device_?code",
  // SAML SSO authorize URLs (`X-GitHub-SSO: required; url=...`) reach the person only.
  "authorization_?request",
  "[A-Za-z0-9_]*?(?:sso_?url|authorize_?url)",
  "code",
  "state",
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
].join("|");

// Quoted values that already contain a marker are left alone, for the same reason.
const NOT_REDACTED_QUOTED = String.raw`(?!(?:\\[\s\S]|[^'"\\]){0,1024}?\[REDACTED\])`;

// Only a boundary that is not part of a longer name: `status_code` and `x-access-token` must not
// match `code`/`token` (the latter is handled by its own rule).
const NAME_START = "(?<![A-Za-z0-9_-])";

// GitHub's token prefixes. The body is [A-Za-z0-9_.-]: the stateless `ghs_` format (2026, ~520 chars)
// is JWT-like with `.` and `-`, so neither the length nor the alphabet of classic tokens is assumed.
const GITHUB_TOKEN = /(?<![A-Za-z0-9])(gh[pousr]_|github_pat_)(?!\[REDACTED\])[A-Za-z0-9_.-]+/g;

// PEM private keys of any flavour (PKCS#1, PKCS#8, EC, OPENSSH, ENCRYPTED, PGP), the whole block. The
// body is limited to what a PEM holds (base64, whitespace, escapes, `Proc-Type: 4,ENCRYPTED` headers)
// so it never runs past a JSON string's closing quote; a truncated block is redacted as far as it goes.
const PEM_BODY = String.raw`(?:\\[\s\S]|[A-Za-z0-9+/=\s:,._-])`;
const PEM_PRIVATE_KEY = new RegExp(
  String.raw`-----BEGIN ([A-Z0-9 ]*PRIVATE KEY[A-Z0-9 ]*)-----(?!\[REDACTED\])${PEM_BODY}*?(?:-----END [A-Z0-9 ]*-----|(?!${PEM_BODY}))`,
  "g",
);

// JWTs (and JWE): a base64url JSON header, then at least two more dot-separated segments.
const JWT = /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*){2,4}/g;

// `"field":"value"`, also inside JSON that was itself serialized into a JSON string (`\"field\":\"v\"`):
// the run of backslashes before the opening quote must be repeated before the closing one. Escape
// pairs are consumed whole so an escaped quote or a trailing `\\` does not end the value early.
// Nesting depth and value length are bounded so no input makes this scan quadratic.
const JSON_FIELD = new RegExp(
  String.raw`(\\{0,7})"(${SECRET_FIELD})\1"(\s*:\s*)\1"${NOT_REDACTED}(?:\\[\s\S]|[^"\\]){0,8192}?\1"`,
  "gi",
);

// Raw headers `Authorization: <scheme> <value>` and `Cookie: a=b; c=d`: the whole value, to the line end.
const HEADER = new RegExp(
  String.raw`${NAME_START}(authorization|proxy-authorization|cookie|set-cookie)(\s*:\s*)(?![\s"'\\])${NOT_REDACTED}([^\r\n"'\\]+)`,
  "gi",
);

// `field=value` (form, query string, env), `field: value` (YAML, inspected JS objects), with an
// optionally quoted name and a bare, single- or double-quoted value. Quoted values may span raw line
// breaks (they are escaped afterwards), so redacting the output again finds nothing new. Inside JSON
// text a quote may be structural: a single-quoted value never contains `"` and a double-quoted one
// never contains `,` or `:`, since getting from one JSON string to the next always crosses those.
const TEXT_FIELD = new RegExp(
  String.raw`${NAME_START}(['"]?)(${SECRET_FIELD})\1(\s*[:=]\s*)(?:'${NOT_REDACTED_QUOTED}((?:\\[\s\S]|[^'"\\]){0,1024})'|"${NOT_REDACTED_QUOTED}((?:\\[\s\S]|[^"\\,:]){0,1024})"|${NOT_REDACTED}([^\s&,;"'\\<>()\[\]{}#]+))`,
  "gi",
);

// `scheme://user:password@host`, anchored on `://` whatever precedes it (no word boundary to fool):
// the password goes; a lone user part goes only when it looks like a token (git accepts
// `https://<token>@github.com`), so `ssh://git@host` stays readable.
const URL_USERINFO = /(:\/\/)([^\s/?#@:"'<>\\]*)(?::([^\s/?#@"'<>\\]*))?@/gi;

// `x-access-token:<secret>` as git and GitHub write it, with or without the `@host` after it.
const BASIC_USER_SECRET = new RegExp(
  String.raw`${NAME_START}(x-access-token|x-oauth-basic|oauth2):(?!//)${NOT_REDACTED}([^\s@/"'<>\\]+)`,
  "gi",
);

// Authorization schemes outside a header (`Bearer abc` in an error message, `token ghp_...`). A scheme
// word is never taken as the value, or "token Bearer <secret>" would consume "Bearer" and skip the secret.
const AUTH_SCHEME = new RegExp(
  String.raw`${NAME_START}(bearer|token|basic)(\s+)(?!(?:bearer|token|basic)\s)${NOT_REDACTED}([A-Za-z0-9._~+/=-]+)`,
  "gi",
);

// C0 and C1 controls, DEL, and the Unicode line/paragraph separators some viewers break lines on.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * `Token`, `basic` and `bearer` are also English words ("the token expired", "basic auth failed"):
 * after those, only a value that looks like a credential is redacted. `Bearer` (capitalized, as in
 * a header) is always followed by a credential.
 */
function looksLikeCredential(scheme: string, value: string): boolean {
  if (scheme === "Bearer") return true;
  return /[0-9+/=]/.test(value) || value.length >= 32;
}

/**
 * A value that does not look like a credential is not consumed: scanning resumes right after the
 * scheme word, so "Basic .Bearer <secret>" still finds the Bearer credential.
 */
function redactAuthSchemes(text: string): string {
  let out = "";
  let copied = 0;
  AUTH_SCHEME.lastIndex = 0;
  for (let match = AUTH_SCHEME.exec(text); match !== null; match = AUTH_SCHEME.exec(text)) {
    const [whole, scheme = "", space = "", value = ""] = match;
    if (looksLikeCredential(scheme, value)) {
      out += `${text.slice(copied, match.index)}${scheme}${space}${REDACTED}`;
      copied = match.index + whole.length;
    } else {
      AUTH_SCHEME.lastIndex = match.index + scheme.length;
    }
  }
  return out + text.slice(copied);
}

function escapeControl(char: string): string {
  if (char === "\n") return String.raw`\n`;
  if (char === "\r") return String.raw`\r`;
  if (char === "\t") return String.raw`\t`;
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/**
 * Removes secrets from text before it is logged or put in an error message (invariant 1 and 3 of
 * DESIGN.md): GitHub tokens of every prefix and length, authorization values, URL credentials,
 * secret JSON/form/`name: value` fields, JWTs and PEM private keys become `[REDACTED]` (a token keeps
 * its non-secret prefix, e.g. `ghu_[REDACTED]`). Control characters (CR, LF, ...) are escaped as
 * `\r`, `\n`, `\uXXXX` so a value cannot forge an extra log line. The output is valid inside a JSON
 * string wherever the input was, and redacting it again changes nothing.
 *
 * Not covered (no reliable shape): bare 40-hex secrets such as OAuth client secrets, which look like
 * commit SHAs. Never put those in text; use `redactValue` with a secret-named key.
 */
export function redact(text: string): string {
  if (text === "") return text;
  const structured = text
    .replace(PEM_PRIVATE_KEY, (_match, label: string) => `-----BEGIN ${label}-----${REDACTED}`)
    .replace(GITHUB_TOKEN, (_match, prefix: string) => `${prefix}${REDACTED}`)
    .replace(JWT, REDACTED)
    .replace(
      JSON_FIELD,
      (_match, slashes: string, name: string, separator: string) =>
        `${slashes}"${name}${slashes}"${separator}${slashes}"${REDACTED}${slashes}"`,
    )
    .replace(HEADER, (_match, name: string, separator: string) => `${name}${separator}${REDACTED}`)
    .replace(
      TEXT_FIELD,
      (_match, quote: string, name: string, separator: string, single?: string, double?: string) => {
        const value =
          single !== undefined ? `'${REDACTED}'` : double !== undefined ? `"${REDACTED}"` : REDACTED;
        return `${quote}${name}${quote}${separator}${value}`;
      },
    )
    .replace(URL_USERINFO, (match, slashes: string, user: string, password?: string) => {
      if (password !== undefined) return `${slashes}${user}:${REDACTED}@`;
      if (user.length >= 20 && !user.includes(REDACTED)) return `${slashes}${REDACTED}@`;
      return match;
    })
    .replace(BASIC_USER_SECRET, (_match, user: string) => `${user}:${REDACTED}`);
  // Control characters are escaped last: the rules above rely on raw line ends as boundaries.
  return redactAuthSchemes(structured).replace(CONTROL, escapeControl);
}
