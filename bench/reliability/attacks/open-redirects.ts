/** Return paths an attacker might smuggle into a settings link (≥ 30): all must end on a same-site path. */
export const OPEN_REDIRECTS = [
  "//evil.example",
  "//evil.example/settings",
  "///evil.example",
  "////evil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "/\\/evil.example",
  "https://evil.example",
  "http://evil.example",
  "https:evil.example",
  "HTTPS://EVIL.EXAMPLE",
  "javascript:alert(1)",
  "JavaScript:alert(1)",
  " javascript:alert(1)",
  "java\tscript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "vbscript:msgbox(1)",
  "%2F%2Fevil.example",
  "%2f%2fevil.example",
  "/%2F/evil.example",
  "/%5Cevil.example",
  "/%09/evil.example",
  "/\t/evil.example",
  "/\r\n/evil.example",
  " //evil.example",
  "\u0000//evil.example",
  "//evil.example%23.gitcred.test",
  "//evil.example@127.0.0.1",
  "/settings@evil.example",
  "//127.0.0.1.evil.example",
  "/.evil.example",
  "//%65vil.example",
  "\u3002evil.example",
  "//evil。example",
  "/settings\\@evil.example",
];

/** A redirect target is safe when it stays on the worker's own origin. */
export function staysOnSite(location: string | null, publicUrl: string): boolean {
  if (location === null) return true;
  if (!location.startsWith("/") || location.startsWith("//") || location.startsWith("/\\")) {
    return location.startsWith(publicUrl);
  }
  return new URL(location, publicUrl).origin === new URL(publicUrl).origin;
}
