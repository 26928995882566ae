const FALLBACK = "/settings";
const BASE = "https://gitcred.invalid";

function decodeRepeatedly(value: string): string[] {
  const forms = [value];
  let current = value;
  for (let i = 0; i < 3; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return [...forms, "\u0000"]; // malformed encoding: treat as hostile
    }
    if (next === current) break;
    forms.push(next);
    current = next;
  }
  return forms;
}

function looksSafe(form: string): boolean {
  if (!form.startsWith("/")) return false;
  const second = form[1];
  if (second === "/" || second === "\\") return false;
  // Control characters, whitespace and backslashes are where browsers and parsers disagree.
  return ![...form].some((ch) => ch.charCodeAt(0) <= 0x20 || ch.charCodeAt(0) === 0x7f || ch === "\\");
}

/**
 * Reduces a caller-supplied return path to a same-site relative path, or `/settings`.
 * An open redirect on the page where people connect their GitHub account would let a phishing link
 * bounce a freshly authenticated person anywhere, so every encoded, doubled-slash, backslash,
 * whitespace and scheme variant falls back.
 */
export function safeReturnPath(input: unknown): string {
  if (typeof input !== "string" || input.length === 0 || input.length > 512) return FALLBACK;
  if (!decodeRepeatedly(input).every(looksSafe)) return FALLBACK;
  let url: URL;
  try {
    url = new URL(input, BASE);
  } catch {
    return FALLBACK;
  }
  if (url.origin !== BASE) return FALLBACK;
  const output = `${url.pathname}${url.search}${url.hash}`;
  // URL normalisation can build what the input checks never saw: `/.//evil.example` resolves to the
  // path `//evil.example`, which a browser reads as another host. So the output is checked again.
  return looksSafe(output) ? output : FALLBACK;
}
