/**
 * A minimal browser for the connect worker's pages: a cookie jar, redirects not followed (every hop is
 * inspected), and every body and Location kept for the canary scan. `signIn` does what a person does
 * with a settings link the platform delivered: open it, press Continue on its interstitial, get the
 * session cookie, load the page and read its CSRF token.
 */
import { harness, rpc } from "./client.ts";
import { recordObserved } from "./observed.ts";

export interface Page {
  status: number;
  location: string | null;
  body: string;
}

/** A cookie jar that never follows redirects; every body and Location is kept for the canary scan. */
export class Browser {
  private readonly cookies = new Map<string, string>();
  private readonly file: string;

  constructor(file: string) {
    this.file = file;
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  /** Copies another browser's cookies (the same person on the same machine). */
  adopt(other: Browser): void {
    for (const [k, v] of other.cookies) this.cookies.set(k, v);
  }

  async request(
    url: string,
    init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
  ): Promise<Page> {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    const cookie = this.cookieHeader();
    if (cookie !== "") headers.cookie = cookie;
    if (init.form !== undefined) headers["content-type"] = "application/x-www-form-urlencoded";
    const res = await fetch(url, {
      method: init.method ?? (init.form === undefined ? "GET" : "POST"),
      headers,
      redirect: "manual",
      ...(init.form === undefined ? {} : { body: new URLSearchParams(init.form).toString() }),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair?.indexOf("=") ?? -1;
      if (pair === undefined || eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === "" || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const page = { status: res.status, location: res.headers.get("location"), body: await res.text() };
    // The person's own settings page is where a SAML SSO authorize URL is shown (to them only).
    recordObserved(this.file, "http", page.body, new URL(url).pathname === "/settings");
    if (page.location !== null) recordObserved(this.file, "redirect", page.location);
    return page;
  }
}

/** The CSRF token of a settings page, or undefined. */
export function csrfOf(html: string): string | undefined {
  return /name="csrf" value="([^"]+)"/.exec(html)?.[1];
}

/** The page session's cookie: `__Host-` (Secure, Path=/, no Domain). */
export const SESSION_COOKIE = "__Host-gitcred_session";

/** The link id a settings link's interstitial posts back, or undefined (no interstitial). */
export function linkIdOf(html: string): string | undefined {
  return /name="s" value="([^"]+)"/.exec(html)?.[1];
}

/**
 * What a person does with a settings link: open it (the interstitial, which redeems nothing), then press
 * Continue (the same-origin POST that does). Answers the POST, or the GET when it showed no interstitial.
 */
export async function openLink(browser: Browser, url: string): Promise<Page> {
  const shown = await browser.request(url);
  const id = linkIdOf(shown.body);
  if (shown.status !== 200 || id === undefined) return shown;
  return browser.request(`${harness().publicUrl}/settings/link`, {
    form: { s: id },
    headers: { origin: harness().publicUrl },
  });
}

/** Opens a fresh settings link for `userId` in a new browser: the session cookie and the page's CSRF token. */
export async function signIn(
  file: string,
  userId: string,
  returnTo?: string,
): Promise<{ browser: Browser; csrf: string; link: string }> {
  const created = await rpc<{ ok: boolean; url: string }>(file, "CONNECT", "createSettingsLink", {
    userId,
    ...(returnTo === undefined ? {} : { returnTo }),
  });
  if (!created.ok) throw new Error("createSettingsLink failed");
  const browser = new Browser(file);
  const opened = await openLink(browser, created.url);
  if (opened.status !== 303) throw new Error(`settings link answered ${opened.status}`);
  const page = await browser.request(`${harness().publicUrl}/settings`);
  const csrf = csrfOf(page.body);
  if (csrf === undefined) throw new Error(`no CSRF token on the settings page (${page.status})`);
  return { browser, csrf, link: created.url };
}
