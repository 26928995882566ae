/**
 * Shared test setup: one simulator per test file, reset and re-seeded before each test.
 */
import { createServer } from "node:http";
import { afterAll, beforeAll, beforeEach } from "vitest";
import {
  type AppKeyPair,
  createSimAdmin,
  generateAppKeyPair,
  type RunningSimulator,
  type SimAdmin,
  type SimApp,
  type SimInstallation,
  type StartOptions,
  signAppJwt,
  startSimulator,
} from "../local/index.ts";

/** Keys are slow to generate: one pair per test file run. */
let keys: AppKeyPair | undefined;
export function appKeys(): AppKeyPair {
  keys ??= generateAppKeyPair();
  return keys;
}

/** The standard world most tests use. */
export interface World {
  app: SimApp;
  installation: SimInstallation;
  callbackUrl: string;
  /** An App JWT for `app`, valid now (sim clock = real clock unless advanced). */
  jwt(now?: number): string;
}

/**
 * The test App's callback: a port of this test process's own, held by a listener that answers every
 * request (unref'd: it never keeps the process alive). Not the dev suite's :8787, where a browser
 * following the redirect would reach a `pnpm dev` running on the same machine; and on loopback, because
 * Chromium upgrades plain-http navigations to other names to https.
 */
const callbackServer = createServer((_req, res) => {
  res.writeHead(200, { "content-type": "text/html" });
  res.end("<h1>back at the app</h1>");
});
await new Promise<void>((resolve) => callbackServer.listen(0, "127.0.0.1", resolve));
callbackServer.unref();
const callbackAddress = callbackServer.address();
export const CALLBACK = `http://127.0.0.1:${typeof callbackAddress === "object" && callbackAddress !== null ? callbackAddress.port : 0}/github/callback`;

/**
 * Seeds: people `octocat` (write on acme/widgets, member of acme) and `hubot` (no access);
 * org `acme` with private `widgets`, private `secret` and public `public-site`; App `gitcred-test`
 * (bot id 41898282) installed on acme for widgets + public-site.
 */
export async function seedWorld(admin: SimAdmin): Promise<World> {
  await admin.seedUser({ login: "octocat", id: 583231, name: "The Octocat" });
  await admin.seedUser({ login: "hubot", id: 480938, name: "Hubot" });
  await admin.seedOrg({ login: "acme", id: 9919, members: { octocat: "member" } });
  await admin.seedRepo({ owner: "acme", name: "widgets", id: 1296269, collaborators: { octocat: "write" } });
  await admin.seedRepo({ owner: "acme", name: "secret", id: 1296270 });
  await admin.seedRepo({ owner: "acme", name: "public-site", id: 1296271, private: false });
  const app = await admin.seedApp({
    slug: "gitcred-test",
    id: 123456,
    name: "gitcred test",
    publicKeyPem: appKeys().publicKeyPem,
    botUserId: 41898282,
    callbackUrls: [CALLBACK],
    permissions: { contents: "write", metadata: "read", pull_requests: "write", issues: "read" },
  });
  const installation = await admin.seedInstallation({
    app: app.id,
    account: "acme",
    id: 7777,
    repositories: ["widgets", "public-site"],
  });
  return {
    app,
    installation,
    callbackUrl: CALLBACK,
    jwt: (now) =>
      signAppJwt({
        iss: app.id,
        privateKeyPem: appKeys().privateKeyPkcs8Pem,
        ...(now === undefined ? {} : { now }),
      }),
  };
}

/** Starts a simulator for the file (github.com's layout unless told) and resets + seeds it before each test. */
export function useSimulator(
  options: { seed?: boolean } & Pick<StartOptions, "flavor" | "tokenFormat"> = {},
): {
  readonly url: string;
  /** GITHUB_API_URL for this simulator: `url`, or `url/api/v3` on GHES. */
  readonly apiUrl: string;
  readonly admin: SimAdmin;
  readonly world: World;
} {
  let sim: RunningSimulator | undefined;
  let admin: SimAdmin | undefined;
  let world: World | undefined;
  beforeAll(async () => {
    sim = await startSimulator({
      ...(options.flavor === undefined ? {} : { flavor: options.flavor }),
      ...(options.tokenFormat === undefined ? {} : { tokenFormat: options.tokenFormat }),
    });
    admin = createSimAdmin(sim.url);
  });
  afterAll(async () => {
    await sim?.close();
  });
  beforeEach(async () => {
    await admin?.reset();
    if (admin && options.seed !== false) world = await seedWorld(admin);
  });
  return {
    get url() {
      if (!sim) throw new Error("simulator not started");
      return sim.url;
    },
    get apiUrl() {
      if (!sim) throw new Error("simulator not started");
      return sim.apiUrl;
    },
    get admin() {
      if (!admin) throw new Error("simulator not started");
      return admin;
    },
    get world() {
      if (!world) throw new Error("world not seeded");
      return world;
    },
  };
}

/** Runs the web flow with auto-approve and returns the code. */
export async function webFlowCode(
  url: string,
  admin: SimAdmin,
  clientId: string,
  extra: Record<string, string> = {},
): Promise<{ code: string; state: string | null; location: URL }> {
  await admin.setSession({ login: "octocat", autoApprove: "approve" });
  const q = new URLSearchParams({ client_id: clientId, redirect_uri: CALLBACK, state: "st4te", ...extra });
  const res = await fetch(`${url}/login/oauth/authorize?${q}`, { redirect: "manual" });
  if (res.status !== 302) throw new Error(`authorize answered ${res.status}: ${await res.text()}`);
  const location = new URL(res.headers.get("location") ?? "");
  const code = location.searchParams.get("code");
  if (!code) throw new Error(`no code in ${location}`);
  return { code, state: location.searchParams.get("state"), location };
}

/** POSTs to the token endpoint with a JSON body and `Accept: application/json`. */
export async function tokenRequest(
  url: string,
  params: Record<string, string>,
): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}/login/oauth/access_token`, {
    method: "POST",
    headers: { accept: "application/json", "content-type": "application/json" },
    body: JSON.stringify(params),
  });
  if (res.status !== 200) throw new Error(`token endpoint answered ${res.status}`);
  return (await res.json()) as Record<string, unknown>;
}

/** Full user tokens from the web flow. */
export async function userTokens(
  url: string,
  admin: SimAdmin,
  world: World,
): Promise<{ access: string; refresh: string }> {
  const { code } = await webFlowCode(url, admin, world.app.clientId);
  const body = await tokenRequest(url, {
    client_id: world.app.clientId,
    client_secret: world.app.clientSecret,
    code,
    redirect_uri: CALLBACK,
  });
  return { access: String(body.access_token), refresh: String(body.refresh_token) };
}

/** GET with a token. */
export function api(url: string, path: string, token?: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("accept", "application/vnd.github+json");
  if (token) headers.set("authorization", `Bearer ${token}`);
  return fetch(`${url}${path}`, { ...init, headers });
}

/**
 * The simulator's clock (ms) read around `work`: what it issued during `work` was issued between the two
 * readings. Expiry checks compare with these instead of the test machine's clock, so they hold however
 * slow the machine is. GitHub's times have second precision, so `from` is floored to the second.
 */
export async function simClockAround<T>(
  admin: SimAdmin,
  work: () => Promise<T>,
): Promise<{ result: T; from: number; to: number }> {
  const from = Math.floor(Date.parse((await admin.getClock()).now) / 1000) * 1000;
  const result = await work();
  const to = Date.parse((await admin.getClock()).now);
  return { result, from, to };
}
