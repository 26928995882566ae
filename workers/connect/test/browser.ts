/**
 * A minimal browser for the connect worker's pages: one cookie jar, manual redirects (so tests see each
 * hop), and forms posted with the page's CSRF token. Every Location and page body is kept for the canary
 * scan. Requests go through the worker's real fetch handler (`exports.default`).
 */
import { exports } from "cloudflare:workers";

export const seenByBrowsers: string[] = [];
export const ORIGIN = "http://127.0.0.1:8787";
export const SESSION_COOKIE = "__Host-gitcred_session";

export class Browser {
  private cookies = new Map<string, string>();

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  hasSession(): boolean {
    return this.cookies.has(SESSION_COOKIE);
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set("cookie", this.cookieHeader());
    const res = await exports.default.fetch(
      new Request(new URL(path, ORIGIN), { ...init, headers, redirect: "manual" }),
    );
    for (const cookie of res.headers.getSetCookie()) {
      const [pair = ""] = cookie.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === "" || /max-age=0/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const location = res.headers.get("location");
    if (location !== null) seenByBrowsers.push(location);
    return res;
  }

  async page(path: string): Promise<{ status: number; html: string }> {
    const res = await this.request(path);
    const html = await res.text();
    seenByBrowsers.push(html);
    return { status: res.status, html };
  }

  /**
   * What a person does with a settings link: open it (the interstitial, which redeems nothing), then
   * press Continue (the POST that does). Answers the POST.
   */
  async openLink(url: string): Promise<Response> {
    const { status, html } = await this.page(url);
    const id = /name="s" value="([^"]+)"/.exec(html)?.[1];
    if (status !== 200 || id === undefined)
      throw new Error(`settings link showed no interstitial (${status})`);
    return this.post("/settings/link", { s: id });
  }

  /**
   * The CSRF token of the settings page's forms, read from a confirmation page (every signed-in person
   * has one; the settings page itself has a form only in some states). Falls back to the settings page.
   */
  async csrf(): Promise<string> {
    const confirm = await this.page("/settings/confirm/end-sessions");
    const { html } = confirm.status === 200 ? confirm : await this.page("/settings");
    const match = /name="csrf" value="([^"]+)"/.exec(html);
    if (match?.[1] === undefined) throw new Error("no CSRF token on the settings page");
    return match[1];
  }

  async post(
    path: string,
    form: Record<string, string>,
    headers: Record<string, string> = { origin: ORIGIN },
  ) {
    return this.request(path, { method: "POST", body: new URLSearchParams(form), headers });
  }
}
