/**
 * Account linking (#13 §1, login CSRF; RFC 8628 §5.4): a settings link someone else sent, opened by a
 * victim; a link-preview scanner's HEAD and GET; the redemption POST from another site; the session
 * cookie's prefix; GitHub's account choice; the device code without the account it links to; a device
 * window longer than 10 minutes. Each is refused only if nothing was redeemed or the page said whose
 * account it was.
 */
import { Browser, csrfOf, linkIdOf, openLink, SESSION_COOKIE, signIn } from "../harness/browser.ts";
import { freshWorld, harness, rpc } from "../harness/client.ts";
import { startConnect } from "./flow.ts";
import type { AttackResult } from "./types.ts";

const FILE = "oauth-attacks";
const CATEGORY = "account linking (login CSRF)";
const SENDER = "Mallory (sender)";
const DEVICE_WINDOW_MS = 10 * 60_000;

async function link(userId: string, displayName = SENDER): Promise<{ url: string; id: string }> {
  const created = await rpc<{ ok: boolean; url: string }>(FILE, "CONNECT", "createSettingsLink", {
    userId,
    displayName,
  });
  if (!created.ok) throw new Error("createSettingsLink failed");
  return { url: created.url, id: new URL(created.url).searchParams.get("s") ?? "" };
}

/** Whether the link still redeems (in a fresh browser): a GET that spent it would make this 401. */
async function stillWorks(url: string): Promise<boolean> {
  return (await openLink(new Browser(FILE), url)).status === 303;
}

/** A victim opens the sender's link; a scanner previews a link; another site posts the redemption. */
async function linkAttacks(userId: string): Promise<AttackResult[]> {
  const out: AttackResult[] = [];
  const sent = await link(userId);
  const victim = new Browser(FILE);
  const page = await victim.request(sent.url);
  const named = page.body.includes(`Connect GitHub to ${SENDER}`);
  const spent = !(await stillWorks(sent.url));
  out.push({
    category: CATEGORY,
    name: "a victim opens a settings link the sender sent them (GET)",
    refused: page.status === 200 && named && victim.cookie(SESSION_COOKIE) === undefined && !spent,
    detail: `${page.status}; names the sender: ${named}; session: ${victim.cookie(SESSION_COOKIE) !== undefined}; link spent: ${spent}`,
  });
  for (const method of ["HEAD", "GET"]) {
    const preview = await link(userId, "Ada");
    const res = await fetch(preview.url, {
      method,
      redirect: "manual",
      headers: { "user-agent": "Slackbot-LinkExpanding 1.0" },
    });
    const cookies = res.headers.getSetCookie().length;
    const works = await stillWorks(preview.url);
    out.push({
      category: CATEGORY,
      name: `a link-preview scanner's ${method} without cookies`,
      refused: res.status === 200 && cookies === 0 && works,
      detail: `${res.status}; ${cookies} cookie(s) set; the person's own click afterwards: ${works ? "works" : "refused"}`,
    });
  }
  const forms: [string, Record<string, string>][] = [
    ["another site's auto-submitting form", { origin: "https://evil.example" }],
    ["a form from an opaque origin (Origin: null)", { origin: "null" }],
    ["a POST without Origin", {}],
    ["a cross-site request with our Origin", { origin: harness().publicUrl, "sec-fetch-site": "cross-site" }],
  ];
  for (const [name, headers] of forms) {
    const target = await link(userId);
    const browser = new Browser(FILE);
    const res = await browser.request(`${harness().publicUrl}/settings/link`, {
      form: { s: target.id },
      headers,
    });
    const works = await stillWorks(target.url);
    out.push({
      category: CATEGORY,
      name: `the link's redemption POST from ${name}`,
      refused: res.status === 403 && browser.cookie(SESSION_COOKIE) === undefined && works,
      detail: `${res.status}; link spent: ${!works}`,
    });
  }
  return out;
}

/** The cookie's `__Host-` prefix and attributes, as the redemption sets it. */
async function cookieAttack(userId: string): Promise<AttackResult> {
  const target = await link(userId);
  const shown = await fetch(target.url, { redirect: "manual" });
  const id = linkIdOf(await shown.text()) ?? "";
  const res = await fetch(`${harness().publicUrl}/settings/link`, {
    method: "POST",
    redirect: "manual",
    headers: { origin: harness().publicUrl, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ s: id }).toString(),
  });
  const [line = ""] = res.headers.getSetCookie();
  const host =
    line.startsWith(`${SESSION_COOKIE}=`) &&
    /; Secure/i.test(line) &&
    /; Path=\/(;|$)/.test(line) &&
    !/Domain=/i.test(line);
  return {
    category: CATEGORY,
    name: "a session cookie another host or a plain-http page could plant (no __Host- prefix)",
    refused: res.status === 303 && host,
    detail: `${res.status}; ${line.split("=")[0] ?? "no cookie"} (Secure, Path=/, no Domain: ${host})`,
  };
}

/** GitHub's account picker, and the device code naming the account it connects to. */
async function githubSideAttacks(userId: string): Promise<AttackResult[]> {
  const { browser, csrf } = await signIn(FILE, userId);
  const started = await startConnect(browser, csrf);
  const prompt = new URL(started.location ?? "", "https://x.invalid").searchParams.get("prompt");
  const own = await link(userId, "Ada (device)");
  const person = new Browser(FILE);
  await openLink(person, own.url);
  const settings = await person.request(`${harness().publicUrl}/settings`);
  const before = Date.now();
  const device = await person.request(`${harness().publicUrl}/github/device`, {
    form: { csrf: csrfOf(settings.body) ?? "" },
    headers: { origin: harness().publicUrl },
  });
  const after = Date.now();
  const page = await person.request(`${harness().publicUrl}${device.location ?? "/settings"}`);
  const code = /data-user-code/.test(page.body);
  const named = page.body.includes('data-device-account="Ada (device)"');
  const until = Date.parse(/works until ([^.<]+)\./.exec(page.body)?.[1] ?? "");
  return [
    {
      category: CATEGORY,
      name: "GitHub connects whichever account the browser holds (no prompt=select_account)",
      refused: prompt === "select_account",
      detail: `prompt=${prompt ?? "(none)"}`,
    },
    {
      category: CATEGORY,
      name: "a device code shown without the platform account it connects to",
      refused: code && named,
      detail: `user code shown: ${code}; account named: ${named}`,
    },
    {
      category: CATEGORY,
      name: "a device code that keeps connecting for GitHub's whole 15 minutes",
      refused: code && Number.isFinite(until) && until <= after + DEVICE_WINDOW_MS,
      detail: Number.isFinite(until)
        ? `works for ${Math.round((until - before) / 1000)} s`
        : "no expiry shown",
    },
  ];
}

/** The account-linking attacks of #13 §1, each run for real against the suite. */
export async function accountLinkingAttacks(): Promise<AttackResult[]> {
  const cell = await freshWorld("att-linking", { connect: false });
  return [
    ...(await linkAttacks(cell.person.userId)),
    await cookieAttack(cell.person.userId),
    ...(await githubSideAttacks(cell.person.userId)),
  ];
}
