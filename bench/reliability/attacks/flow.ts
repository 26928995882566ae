/**
 * The OAuth web flow as a person's browser drives it against the connect worker and the simulator's
 * authorize page, one hop at a time, so an attack can stop, replay or swap any hop.
 */
import { type Browser, csrfOf } from "../harness/browser.ts";
import { harness } from "../harness/client.ts";

/** POST /github/connect: the authorize URL the worker redirects to (with its state), or the refusal. */
export async function startConnect(
  browser: Browser,
  csrf: string,
  origin = harness().publicUrl,
): Promise<{ status: number; location: string | null }> {
  const page = await browser.request(`${harness().publicUrl}/github/connect`, {
    form: { csrf },
    headers: { origin },
  });
  return { status: page.status, location: page.location };
}

/** The person approves on the simulator's authorize page: the callback URL (with code and state). */
export async function approveAtGitHub(authorizeUrl: string, login: string): Promise<string> {
  const url = new URL(authorizeUrl);
  const form = new URLSearchParams(url.searchParams);
  form.set("sim_action", "signin");
  form.set("login", login);
  const res = await fetch(`${url.origin}${url.pathname}`, { method: "POST", body: form, redirect: "manual" });
  const location = res.headers.get("location");
  if (res.status !== 302 || location === null) throw new Error(`authorize answered ${res.status}`);
  return location;
}

/** GET the callback in `browser`: the notice code of the final redirect (`?github=<code>`) and its path. */
export async function finishCallback(
  browser: Browser,
  callbackUrl: string,
): Promise<{ notice: string | null; location: string | null; status: number }> {
  const url = new URL(callbackUrl);
  const page = await browser.request(`${harness().publicUrl}${url.pathname}${url.search}`);
  const location = page.location;
  const notice = location === null ? null : new URL(location, "https://x.invalid").searchParams.get("github");
  return { notice, location, status: page.status };
}

/** A fresh settings page's CSRF token for a signed-in browser. */
export async function freshCsrf(browser: Browser): Promise<string> {
  const page = await browser.request(`${harness().publicUrl}/settings`);
  const csrf = csrfOf(page.body);
  if (csrf === undefined) throw new Error("no CSRF token");
  return csrf;
}
