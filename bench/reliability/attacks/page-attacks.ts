/**
 * Attacks on the settings page (#5): a settings link used twice, state-changing POSTs without the
 * session's CSRF token or from another origin, open redirects smuggled in as return paths (≥ 30), and
 * CR/LF and token-shaped strings in every query parameter — which must leave the logs clean (one JSON
 * object per line, no token) and never cause a 5xx.
 */
import { Browser, openLink, SESSION_COOKIE, signIn } from "../harness/browser.ts";
import { freshWorld, harness, logsSince, rpc, sql, tokenRow } from "../harness/client.ts";
import { approveAtGitHub, finishCallback, startConnect } from "./flow.ts";
import { OPEN_REDIRECTS, staysOnSite } from "./open-redirects.ts";
import type { AttackResult } from "./types.ts";

const FILE = "oauth-attacks";
const TOKEN_SHAPED = "ghu_ATTACKCANARY0123456789abcdefghijklm";
const INJECTION = `x\r\n{"level":"error","msg":"forged"}\r\n${TOKEN_SHAPED}`;

/** A settings link opened twice: the second opening must get no session. */
export async function settingsLinkAttacks(): Promise<AttackResult[]> {
  const cell = await freshWorld("att-link", { connect: false });
  const link = await rpc<{ ok: boolean; url: string }>(FILE, "CONNECT", "createSettingsLink", {
    userId: cell.person.userId,
  });
  const first = await openLink(new Browser(FILE), link.url);
  const second = new Browser(FILE);
  const again = await openLink(second, link.url);
  return [
    {
      category: "settings links",
      name: "settings link used twice",
      refused: first.status === 303 && again.status === 401 && second.cookie(SESSION_COOKIE) === undefined,
      detail: `first ${first.status}, second ${again.status}`,
    },
  ];
}

/** State-changing POSTs without the CSRF token, from another origin, or without the session. */
export async function csrfAttacks(): Promise<AttackResult[]> {
  const out: AttackResult[] = [];
  const cell = await freshWorld("att-csrf");
  const { browser, csrf } = await signIn(FILE, cell.person.userId);
  const url = (path: string) => `${harness().publicUrl}${path}`;
  const statesBefore = async () =>
    Number(
      (await sql().query("select count(*) as n from oauth_states where user_id = $1", [cell.person.userId]))
        .rows[0].n,
    );
  const base = await statesBefore();
  const cases: [string, string, Record<string, string>, Record<string, string>, Browser][] = [
    [
      "POST /github/connect without a CSRF token",
      "/github/connect",
      {},
      { origin: harness().publicUrl },
      browser,
    ],
    [
      "POST /github/connect with a wrong CSRF token",
      "/github/connect",
      { csrf: `${csrf}x` },
      { origin: harness().publicUrl },
      browser,
    ],
    [
      "POST /github/connect from another origin",
      "/github/connect",
      { csrf },
      { origin: "https://evil.example" },
      browser,
    ],
    [
      "POST /github/connect without the session cookie",
      "/github/connect",
      { csrf },
      { origin: harness().publicUrl },
      new Browser(FILE),
    ],
    [
      "POST /github/disconnect without a CSRF token",
      "/github/disconnect",
      {},
      { origin: harness().publicUrl },
      browser,
    ],
    [
      "POST /github/disconnect from another origin",
      "/github/disconnect",
      { csrf },
      { origin: "null" },
      browser,
    ],
    [
      "POST /github/device without a CSRF token",
      "/github/device",
      {},
      { origin: harness().publicUrl },
      browser,
    ],
  ];
  for (const [name, path, form, headers, who] of cases) {
    const page = await who.request(url(path), { form, headers });
    const location = page.location ?? "";
    const refused =
      page.status === 303 &&
      (location.includes("github=csrf") || location === "/settings") &&
      (await statesBefore()) === base &&
      (await tokenRow(cell.person.userId))?.status === "active" &&
      !location.includes("device=");
    out.push({ category: "CSRF and origin", name, refused, detail: `${page.status} → ${location}` });
  }
  return out;
}

/** A full connect flow per hostile return path: the last redirect must stay on the worker's origin. */
export async function openRedirectAttacks(): Promise<AttackResult[]> {
  const out: AttackResult[] = [];
  for (const [i, payload] of OPEN_REDIRECTS.entries()) {
    const cell = await freshWorld(`att-redir${i}`, { connect: false });
    const name = `return path ${JSON.stringify(payload)}`;
    const link = await rpc<{ ok: boolean; url?: string }>(FILE, "CONNECT", "createSettingsLink", {
      userId: cell.person.userId,
      returnTo: payload,
    });
    if (!link.ok) {
      out.push({
        category: "open redirects",
        name,
        refused: true,
        detail: "refused when the link was created",
      });
      continue;
    }
    const { browser, csrf } = await signIn(FILE, cell.person.userId, payload);
    const started = await startConnect(browser, csrf);
    const callback = await approveAtGitHub(started.location ?? "", cell.person.login);
    const done = await finishCallback(browser, callback);
    out.push({
      category: "open redirects",
      name,
      refused: done.notice === "connected" && staysOnSite(done.location, harness().publicUrl),
      detail: `ends at ${done.location}`,
    });
  }
  return out;
}

/**
 * workerd's own fixed-text lines that can land in any window (printed when garbage collection finds
 * them): no request input is in them, so they are not a log injection. Matched whole, never by prefix.
 */
const RUNTIME_LINES = new Set([
  "An RPC result was not disposed properly. One of the RPC calls you made expects you to call dispose() on the return value, but you didn't do so. You cannot rely on the garbage collector for this because it may take arbitrarily long before actually collecting unreachable objects.",
]);

/** Lines that are not one JSON object each (an injected line break), or that carry the canary. */
function dirtyLines(lines: string[]): string[] {
  return lines.filter((line) => {
    if (RUNTIME_LINES.has(line)) return false;
    if (line.includes(TOKEN_SHAPED) || line.includes("ATTACKCANARY")) return true;
    try {
      const parsed: unknown = JSON.parse(line);
      return typeof parsed !== "object" || parsed === null || (parsed as { msg?: unknown }).msg === "forged";
    } catch {
      return true;
    }
  });
}

/** CR/LF, a forged JSON line and a token-shaped value in each query parameter: the logs must stay clean. */
export async function logInjectionAttacks(): Promise<AttackResult[]> {
  const out: AttackResult[] = [];
  const cell = await freshWorld("att-logs");
  const { browser } = await signIn(FILE, cell.person.userId);
  const targets: [string, string[]][] = [
    ["/github/callback", ["state", "code", "error", "error_description"]],
    ["/settings", ["s", "device", "github"]],
    ["/dev/login", ["user"]],
    ["/healthz", ["x"]],
    ["/", ["x"]],
  ];
  for (const [path, params] of targets) {
    for (const param of params) {
      const from = (await logsSince(Number.MAX_SAFE_INTEGER)).next;
      const url = new URL(`${harness().publicUrl}${path}`);
      for (const p of params) url.searchParams.set(p, p === param ? INJECTION : "x");
      const page = await browser.request(url.toString());
      await new Promise((resolve) => setTimeout(resolve, 50));
      const dirty = dirtyLines((await logsSince(from)).lines);
      out.push({
        category: "log injection (CR/LF, token-shaped values)",
        name: `${path}?${param}=<CR/LF + forged JSON line + token-shaped value>`,
        refused: page.status < 500 && dirty.length === 0,
        detail: `${page.status}; ${dirty.length} dirty log line(s)`,
      });
    }
  }
  return out;
}
