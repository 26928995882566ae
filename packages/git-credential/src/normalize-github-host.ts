/**
 * A git host as the helper compares it: `host[:port]`, lowercase, IDN in punycode, and no `:443` (the
 * default port of https, the only protocol the helper answers). Undefined for anything that is not a bare
 * host: a value with a path, user info, query or fragment (`evil.example/@github.com`) must never compare
 * equal to the GitHub host by accident of parsing.
 */
export function normalizeGitHubHost(value: string): string | undefined {
  if (value === "" || /[/\\@?#\s]/.test(value)) return undefined;
  const candidate = `https://${value}`;
  if (!URL.canParse(candidate)) return undefined;
  const parsed = new URL(candidate);
  if (
    parsed.username !== "" ||
    parsed.password !== "" ||
    parsed.pathname !== "/" ||
    parsed.search !== "" ||
    parsed.hash !== "" ||
    parsed.hostname === ""
  )
    return undefined;
  return parsed.host;
}
