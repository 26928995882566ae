/**
 * Test helpers for the git-token project: the simulator's control API, a consumer-style service handle
 * (the GitTokenService entrypoint with `props`, as a service binding gives it), and the web flow a
 * person goes through to connect. Nothing of ours is stood in for; GitHub is the simulator.
 */
import { env, exports } from "cloudflare:workers";
import type {
  GitTokenAdminRpc,
  GitTokenConnectRpc,
  GitTokenRpc,
  StoreConnectionResult,
} from "@gitcred/client";
import {
  auditEvents as auditEventsTable,
  claimInstallation,
  type Database,
  githubUserTokens,
  openDatabase,
} from "@gitcred/db";
import { randomToken } from "@gitcred/utils";
import { eq, sql } from "drizzle-orm";
import { afterAll } from "vitest";
import { createSimAdmin } from "../../../packages/github-sim/local/admin.ts";
import { gate } from "../../../test-support/gate.ts";
import { authorizeAtSimulator } from "../../../test-support/workerd/authorize-at-simulator.ts";
import { createDeps, refreshDepsFrom } from "../src/deps.ts";
import { log } from "../src/log.ts";
import { throughUserObject } from "../src/through-user-object.ts";
import type { PendingRefresh, RefreshJournal } from "../src/user/refresh-journal.ts";
import type { RefreshDeps } from "../src/user/refresh-user-token-row.ts";

export const sim = createSimAdmin(env.GITHUB_API_URL);

/** GitTokenService as a consumer's service binding reaches it (`entrypoint` + `props.caller`). */
export function service(caller = "test-consumer"): GitTokenRpc {
  return exports.GitTokenService({ props: { caller } }) as unknown as GitTokenRpc;
}

/** GitTokenConnectBackend as the connect worker's binding reaches it. */
export function connectBackend(caller = "gitcred-connect"): GitTokenConnectRpc {
  return exports.GitTokenConnectBackend({ props: { caller } }) as unknown as GitTokenConnectRpc;
}

/** GitTokenAdmin as an operator's tool reaches it. */
export function admin(caller = "operator"): GitTokenAdminRpc {
  return exports.GitTokenAdmin({ props: { caller } }) as unknown as GitTokenAdminRpc;
}

/**
 * Records that `tenantId` claimed `installationId`, as the install flow or `grantInstallation` would
 * (the flows themselves are tested in claims.test.ts; here it is the world's starting state).
 */
export async function claimFor(tenantId: string, installationId: number): Promise<void> {
  await claimInstallation(database(), { tenantId, installationId, via: "grant", caller: "test-seed" });
}

/** A unique GitHub-valid name for this run. */
export function unique(prefix: string): string {
  return `${prefix}-${randomToken(6).replace(/[^A-Za-z0-9]/g, "x")}`;
}

const handles: { close(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(handles.splice(0).map((h) => h.close()));
});

/** A database handle for assertions (closed after the file). */
export function database(): Database {
  const handle = openDatabase(env);
  handles.push(handle);
  return handle.db;
}

/** The person's row as stored. */
export async function tokenRow(userId: string) {
  const [row] = await database().select().from(githubUserTokens).where(eq(githubUserTokens.userId, userId));
  return row;
}

/** Moves the person's access-token expiry into the past (as if 8 hours had passed), version unchanged. */
export async function expireAccessToken(userId: string): Promise<void> {
  await database()
    .update(githubUserTokens)
    .set({ accessExpiresAt: sql`now() - interval '1 minute'` })
    .where(eq(githubUserTokens.userId, userId));
}

export interface World {
  /** A person at GitHub (simulated) and their platform user id. */
  login: string;
  githubUserId: number;
  userId: string;
  owner: string;
  repos: string[];
  installationId: number;
  /** The platform tenant that claimed the installation (unless `claim: false`). */
  tenantId: string;
}

/**
 * Seeds a person, an org with repositories (the person has `role` on each), and the App installed on
 * the org for those repositories.
 */
export async function seedWorld(
  options: { repos?: number; role?: "read" | "write" | "admin"; claim?: boolean } = {},
): Promise<World> {
  const login = unique("person");
  const person = await sim.seedUser({ login, name: `Person ${login}` });
  const owner = unique("org");
  await sim.seedOrg({ login: owner });
  const repos: string[] = [];
  for (let i = 0; i < (options.repos ?? 1); i++) {
    const name = `repo-${i}`;
    await sim.seedRepo({ owner, name, collaborators: { [login]: options.role ?? "write" } });
    repos.push(name);
  }
  const installation = await sim.seedInstallation({
    app: Number(env.GITHUB_APP_ID),
    account: owner,
    repositories: repos,
    webhook: false,
  });
  const tenantId = unique("tenant");
  if (options.claim !== false) await claimFor(tenantId, installation.id);
  return {
    login,
    githubUserId: person.id,
    userId: unique("user"),
    owner,
    repos,
    installationId: installation.id,
    tenantId,
  };
}

/** The OAuth web flow with PKCE at the simulator, as the person's browser does it: returns a code. */
export function authorizeAt(login: string, redirectUri?: string) {
  return authorizeAtSimulator(env, login, redirectUri);
}

/** Connects `userId` to GitHub account `login` through the real web flow and GitTokenService. */
export async function connect(userId: string, login: string): Promise<StoreConnectionResult> {
  const { code, codeVerifier, redirectUri } = await authorizeAt(login);
  return connectBackend().connectWithOAuthCode({ userId, code, codeVerifier, redirectUri });
}

/** Tokens the simulator issued, by kind and owner. */
export async function issued(filter: {
  kind: "user" | "refresh" | "installation";
  userId?: number;
  installationId?: number;
}) {
  return (await sim.issuedTokens()).filter(
    (t) =>
      t.kind === filter.kind &&
      (filter.userId === undefined || t.userId === filter.userId) &&
      (filter.installationId === undefined || t.installationId === filter.installationId),
  );
}

/** The refresher Durable Object of a person, called as GitTokenService calls it. */
export function refreshThroughDurableObject(
  userId: string,
  caller = "test-logic",
  options: { rejectedVersion?: number } = {},
) {
  return env.USER_TOKEN_REFRESHER.get(env.USER_TOKEN_REFRESHER.idFromName(userId)).refresh({
    userId,
    caller,
    ...options,
  });
}

/**
 * The logic modules' dependencies built from this project's bindings, with `overrides` applied (e.g. the
 * feature gate off). `done()` ends the pool and waits for background work.
 */
export function logicDeps(overrides: Partial<Record<string, string>> = {}) {
  const waits: Promise<unknown>[] = [];
  const handle = createDeps(
    { ...env, ...overrides },
    {
      caller: "test-logic",
      now: Date.now,
      waitUntil: (p) => void waits.push(p),
      ...throughUserObject(env.USER_TOKEN_REFRESHER, "test-logic"),
    },
  );
  return {
    deps: handle.deps,
    done: async () => {
      handle.finish();
      await Promise.allSettled(waits);
    },
  };
}

/** A journal of its own, as a second refresher object elsewhere would have its own storage. */
function memoryJournal(): RefreshJournal {
  let entry: PendingRefresh | undefined;
  return {
    read: async () => entry,
    write: async (value) => {
      entry = value;
    },
    clear: async () => {
      entry = undefined;
    },
  };
}

/** Dependencies of `refreshUserTokenRow` with their own pool, as a second refresher elsewhere would have. */
export async function refreshDeps(
  caller = "race-test",
): Promise<{ deps: RefreshDeps; done(): Promise<void> }> {
  const waits: Promise<unknown>[] = [];
  const built = await refreshDepsFrom(env, {
    caller,
    logger: log.child({ caller }),
    now: Date.now,
    waitUntil: (p) => void waits.push(p),
    journal: memoryJournal(),
  });
  return {
    deps: built.deps,
    done: async () => {
      await Promise.allSettled(waits);
      await built.close();
    },
  };
}

/**
 * A `fetch` for GitHub that lets the request to the OAuth token endpoint reach GitHub (the simulator
 * uses the code or spends the refresh token and issues the tokens) and holds the answer, as a slow
 * network would, until `release()`. `answered` settles once GitHub has answered. Other calls pass.
 */
export function holdTokenEndpointAnswer(send: typeof fetch = fetch): {
  fetch: typeof fetch;
  answered: Promise<void>;
  release(): void;
} {
  const answered = gate();
  const released = gate();
  const holding: typeof fetch = async (input, init) => {
    const response = await send(input, init);
    const url = new URL(input instanceof Request ? input.url : input);
    if (url.pathname !== "/login/oauth/access_token") return response;
    const body = await response.arrayBuffer();
    answered.open();
    await released.promise;
    return new Response(body, { status: response.status, headers: response.headers });
  };
  return { fetch: holding, answered: answered.promise, release: released.open };
}

/** Every call the simulator has answered so far, whatever the route (its counters never drop one). */
export async function githubCalls(): Promise<number> {
  const routes = Object.entries(await sim.counters());
  // `route#grant_type` keys count a call of their route a second time.
  return routes.reduce((n, [route, counter]) => (route.includes("#") ? n : n + counter.count), 0);
}

/** Installation tokens the simulator has minted so far (every installation). */
export function mints(): Promise<number> {
  return sim.count("POST /app/installations/{installation_id}/access_tokens");
}

/** Audit events of one kind (claims are about tenants, not users), oldest first. */
export async function auditEvents(event: string) {
  return database()
    .select()
    .from(auditEventsTable)
    .where(eq(auditEventsTable.event, event))
    .orderBy(auditEventsTable.id);
}

/** Audit events of a user, oldest first. */
export async function auditEventsOf(userId: string) {
  return database()
    .select()
    .from(auditEventsTable)
    .where(eq(auditEventsTable.userId, userId))
    .orderBy(auditEventsTable.id);
}

const refused: string[] = [];

/**
 * Makes Postgres refuse every INSERT or UPDATE of this person's row with the SQLSTATE a connection cut
 * mid-statement reports (08006): a real database failure at exactly that write, nothing of ours stood in.
 */
export async function refuseWrites(userId: string): Promise<void> {
  if (!/^[A-Za-z0-9-]+$/.test(userId)) throw new Error("unexpected user id");
  const name = `fail_${userId.replace(/-/g, "_")}`;
  refused.push(name);
  await database().execute(
    sql.raw(`create or replace function ${name}() returns trigger language plpgsql as $$
      begin raise exception 'connection cut (test)' using errcode = '08006'; end $$`),
  );
  await database().execute(
    sql.raw(`create trigger ${name} before insert or update on github_user_tokens for each row
      when (new.user_id = '${userId}') execute function ${name}()`),
  );
}

/** Drops every refusal `refuseWrites` installed. */
export async function letWritesThrough(): Promise<void> {
  for (const name of refused.splice(0)) {
    await database().execute(sql.raw(`drop trigger if exists ${name} on github_user_tokens`));
    await database().execute(sql.raw(`drop function if exists ${name}()`));
  }
}
