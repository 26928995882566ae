/**
 * Test helpers for the session project: the simulator's control API, SessionService as the platform
 * reaches it, git-token through the session's own binding, and a person who connects GitHub through the
 * real OAuth web flow. Nothing of ours is stood in for; GitHub is the simulator.
 */
import { env, exports } from "cloudflare:workers";
import type {
  GitTokenAdminRpc,
  GitTokenConnectRpc,
  SessionRpc,
  StoreConnectionResult,
} from "@gitcred/client";
import { createLogger, randomToken } from "@gitcred/utils";
import { createSimAdmin } from "../../../packages/github-sim/local/admin.ts";
import { authorizeAtSimulator } from "../../../test-support/workerd/authorize-at-simulator.ts";
import { gitTokenPort } from "../src/credentials/git-token-port.ts";
import { createTokenVerifier } from "../src/credentials/verify-token.ts";
import type { SessionEnv } from "../src/env.ts";
import { createStorageStore } from "../src/record/session-store.ts";
import type { SessionDeps } from "../src/types.ts";

/** The bindings of the test worker: the session's own plus what the tests need to act as GitHub's users. */
export interface TestEnv extends SessionEnv {
  GITHUB_API_URL: string;
  GITHUB_WEB_URL: string;
  GITHUB_APP_ID: string;
  GITHUB_APP_SLUG: string;
  GITHUB_CLIENT_ID: string;
  GITHUB_CLIENT_SECRET: string;
  /** git-token as the connect worker binds it (GitTokenConnectBackend). */
  GIT_TOKEN_CONNECT: Service<GitTokenConnectRpc>;
  /** git-token as an operator's tool binds it (GitTokenAdmin). */
  GIT_TOKEN_ADMIN: Service<GitTokenAdminRpc>;
}

export const testEnv = env as unknown as TestEnv;
export const sim = createSimAdmin(testEnv.GITHUB_API_URL);

/** SessionService as a platform worker's service binding reaches it. */
export function sessions(): SessionRpc {
  return (exports as unknown as { SessionService: (o: { props: object }) => SessionRpc }).SessionService({
    props: {},
  });
}

/** A unique GitHub-valid name for this run. */
export function unique(prefix: string): string {
  return `${prefix}-${randomToken(6).replace(/[^A-Za-z0-9]/g, "x")}`;
}

export interface World {
  login: string;
  name: string;
  githubUserId: number;
  userId: string;
  owner: string;
  repo: string;
  installationId: number;
  /** The platform tenant that claimed the installation (through `grantInstallation`). */
  tenantId: string;
}

/** A person with `role` on one org repository, and the App installed on that repository. */
export async function seedWorld(
  options: { role?: "read" | "write"; install?: boolean; claim?: boolean } = {},
): Promise<World> {
  const login = unique("person");
  const name = `Person ${login}`;
  const person = await sim.seedUser({ login, name });
  const owner = unique("org");
  await sim.seedOrg({ login: owner });
  const repo = "widgets";
  await sim.seedRepo({ owner, name: repo, collaborators: { [login]: options.role ?? "write" } });
  let installationId = 0;
  if (options.install !== false) {
    const installation = await sim.seedInstallation({
      app: Number(testEnv.GITHUB_APP_ID),
      account: owner,
      repositories: [repo],
      webhook: false,
    });
    installationId = installation.id;
  }
  const tenantId = unique("tenant");
  if (installationId !== 0 && options.claim !== false) {
    const granted = await testEnv.GIT_TOKEN.grantInstallation({ tenantId, installationId });
    if (!granted.ok) throw new Error(`grantInstallation failed: ${granted.reason}`);
  }
  return {
    login,
    name,
    githubUserId: person.id,
    userId: unique("user"),
    owner,
    repo,
    installationId,
    tenantId,
  };
}

/** The OAuth web flow with PKCE at the simulator, as the person's browser does it: returns a code. */
function authorizeAt(login: string) {
  return authorizeAtSimulator(testEnv, login);
}

/** Connects the world's person through the web flow, finished by git-token (as the connect worker does). */
export async function connect(world: World): Promise<StoreConnectionResult> {
  const { code, codeVerifier, redirectUri } = await authorizeAt(world.login);
  return testEnv.GIT_TOKEN_CONNECT.connectWithOAuthCode({
    userId: world.userId,
    code,
    codeVerifier,
    redirectUri,
  });
}

/**
 * Tells git-token that the person's access token expires at `expiresAt` (epoch ms): their live pair, as
 * the simulator issued it, is stored again with only that expiry chosen, as the connect worker stores a
 * pair it received. So a test can move a token into the 10-minute refresh margin without waiting hours;
 * git-token's stored row and its in-memory copy of the token both carry the new expiry.
 */
export async function storeExpiringAt(world: World, expiresAt: number): Promise<StoreConnectionResult> {
  const live = (await sim.issuedTokens()).filter(
    (t) =>
      t.userId === world.githubUserId && t.status === "active" && t.appId === Number(testEnv.GITHUB_APP_ID),
  );
  const access = live.filter((t) => t.kind === "user");
  const refresh = live.filter((t) => t.kind === "refresh");
  if (access.length !== 1 || refresh.length !== 1) throw new Error("the person has no single live pair");
  const stored = await testEnv.GIT_TOKEN.getConnection({ userId: world.userId });
  if (!stored.ok || !stored.connected) throw new Error("the person is not connected");
  return testEnv.GIT_TOKEN_ADMIN.storeConnection({
    userId: world.userId,
    accessToken: access[0]!.token,
    accessTokenExpiresAt: new Date(expiresAt).toISOString(),
    refreshToken: refresh[0]!.token,
    refreshTokenExpiresAt: stored.refreshTokenExpiresAt,
  });
}

/** The stub of a session's Durable Object (for storage scans, alarms and eviction). */
export function sessionObject(sessionId: string) {
  return testEnv.SESSIONS.get(testEnv.SESSIONS.idFromName(sessionId));
}

/** Lowercase hex SHA-256, as the helper reports a refused token. */
export async function sha256(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** What a test may change in a prepare request. */
type PrepareExtra = { access?: "read" | "write"; prefer?: "user" | "app"; mode?: "now" | "background" };

/** The prepare request a platform sends for the world's person and repository (now, unless `extra` says). */
export function prepareRequest(world: World, sessionId: string, extra: PrepareExtra = {}) {
  return {
    sessionId,
    userId: world.userId,
    tenantId: world.tenantId,
    owner: world.owner,
    repo: world.repo,
    mode: "now" as const,
    ...extra,
  };
}

/**
 * Prepares a session for the world's person and repository (now, unless `extra` says otherwise) through
 * SessionService as a platform calls it; throws when it is not prepared, so a test's premise is checked.
 */
export async function prepareSessionFor(world: World, extra: PrepareExtra = {}) {
  const sessionId = unique("s");
  const prepared = await sessions().prepareSession(prepareRequest(world, sessionId, extra));
  if (!prepared.ok) throw new Error(`prepare failed: ${prepared.reason}`);
  return { sessionId, secret: prepared.sessionSecret, session: prepared.session };
}

/** The sandbox HTTP API as a sandbox reaches it; with `secret`, sent as `Authorization: Bearer`. */
export function sandboxApi(path: string, init: RequestInit = {}, secret?: string): Promise<Response> {
  const headers = new Headers(init.headers);
  if (secret !== undefined) headers.set("authorization", `Bearer ${secret}`);
  return (exports as unknown as { default: Fetcher }).default.fetch(`http://session.test${path}`, {
    ...init,
    headers,
  });
}

/**
 * A session object's own dependencies on its storage (inside `runInDurableObject`), as the object wires
 * them: git-token through the session's binding, GitHub (the simulator) through the real verifier, a
 * fresh memory. `overrides` replaces parts, e.g. to hold a call at a gate or count it.
 */
export function objectDeps(state: DurableObjectState, overrides: Partial<SessionDeps> = {}): SessionDeps {
  return {
    store: createStorageStore(state.storage),
    gitToken: gitTokenPort(testEnv.GIT_TOKEN),
    verifier: createTokenVerifier({ apiUrl: testEnv.GITHUB_API_URL, webUrl: testEnv.GITHUB_WEB_URL }),
    memory: {},
    now: Date.now,
    log: createLogger({ worker: "session-test" }),
    publish: () => {},
    scheduleAlarm: (at) => state.storage.setAlarm(at),
    lifetimeMs: 8 * 3600_000,
    githubApiUrl: testEnv.GITHUB_API_URL,
    closeSockets: () => {},
    ...overrides,
  };
}
