/**
 * Helpers for the connect worker's tests: the simulator's control API, settings links through the real
 * ConnectService entrypoint, and a person's trip through the simulator's authorize page.
 */
import { env, exports } from "cloudflare:workers";
import type { ConnectRpc, GitTokenConnectRpc } from "@gitcred/client";
import { randomToken } from "@gitcred/utils";
import { expect } from "vitest";
import { createSimAdmin } from "../../../packages/github-sim/local/admin.ts";
import { Browser } from "./browser.ts";

export const sim = createSimAdmin(env.GITHUB_API_URL);

/** ConnectService as the platform's service binding reaches it. */
export function connectService(): ConnectRpc {
  return exports.ConnectService({ props: {} }) as unknown as ConnectRpc;
}

/** git-token through this worker's real binding (GitTokenConnectBackend). */
export function gitToken(): GitTokenConnectRpc {
  return env.GIT_TOKEN;
}

export function unique(prefix: string): string {
  return `${prefix}-${randomToken(6).replace(/[^A-Za-z0-9]/g, "x")}`;
}

/** A person at the simulated GitHub and the platform user id they use. */
export async function seedPerson(): Promise<{ login: string; githubUserId: number; userId: string }> {
  const login = unique("person");
  const account = await sim.seedUser({ login, name: `Person ${login}` });
  return { login, githubUserId: account.id, userId: unique("user") };
}

/**
 * A fresh settings link for `request` (throws when it is refused), opened in a new browser that pressed
 * Continue; `opened` is the answer to that press.
 */
export async function openFreshLink(
  request: Parameters<ConnectRpc["createSettingsLink"]>[0],
): Promise<{ browser: Browser; opened: Response }> {
  const link = await connectService().createSettingsLink(request);
  if (!link.ok) throw new Error(`createSettingsLink: ${link.reason}`);
  const browser = new Browser();
  return { browser, opened: await browser.openLink(link.url) };
}

/** A browser signed in to the settings page of `userId` through a fresh settings link. */
export async function signedInBrowser(userId: string): Promise<Browser> {
  const { browser, opened: res } = await openFreshLink({ userId });
  expect(res.status).toBe(303);
  expect(res.headers.get("location")).toBe("/settings");
  return browser;
}

/**
 * The person at GitHub's authorize page: signs in as `login` and approves (or denies). Returns the URL
 * GitHub redirects the browser to (our callback).
 */
export async function atGitHub(
  authorizeUrl: string,
  login: string,
  decision: "approve" | "deny" = "approve",
) {
  const url = new URL(authorizeUrl);
  const form = new URLSearchParams(url.searchParams);
  if (decision === "deny") await sim.setSession({ login });
  form.set("sim_action", decision === "approve" ? "signin" : "deny");
  form.set("login", login);
  const res = await fetch(`${url.origin}${url.pathname}`, { method: "POST", body: form, redirect: "manual" });
  const location = res.headers.get("location");
  if (location === null) throw new Error(`authorize answered ${res.status} without a redirect`);
  return new URL(location);
}

/** Starts the web flow in `browser` and returns the authorize URL it was sent to. */
export async function startConnect(browser: Browser): Promise<string> {
  const res = await browser.post("/github/connect", { csrf: await browser.csrf() });
  expect(res.status).toBe(303);
  const location = res.headers.get("location");
  if (location === null) throw new Error("no redirect to GitHub");
  return location;
}

/** The whole web flow: settings page -> GitHub -> callback; returns the final redirect. */
export async function connectThroughBrowser(browser: Browser, login: string): Promise<string | null> {
  const callback = await atGitHub(await startConnect(browser), login);
  const res = await browser.request(`${callback.pathname}${callback.search}`);
  expect(res.status).toBe(303);
  return res.headers.get("location");
}
