/**
 * What a reliability test file uses: the harness coordinates (provided by setup.ts), the control server,
 * RPC through the platform stand-in (every result recorded for the canary scan), the simulator's
 * control API, direct SQL for checking rows, and fresh worlds (a person, an org, a repository, the App
 * installed) so sections and cells never share state.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { createSimAdmin, type SimAdmin } from "../../../packages/github-sim/local/index.ts";
import { callRpc } from "../../../test-support/platform-worker.ts";
import { connectPerson, type Person, seedWorld } from "../../lib/world.ts";
import { recordObserved } from "./observed.ts";
import type { HarnessInfo } from "./setup.ts";

/** The coordinates the globalSetup provided. */
export function harness(): HarnessInfo {
  return inject("harness");
}

/** `POST` to the control server (see control-server.ts); `GET` when `body` is undefined. */
export async function control<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${harness().controlUrl}${path}`, {
    method: body === undefined ? "GET" : "POST",
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`control ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** Worker log lines from index `from` on. */
export function logsSince(from: number): Promise<{ lines: string[]; next: number }> {
  return control(`/logs?from=${from}`);
}

export type Binding = "CONNECT" | "GIT_TOKEN" | "SESSION";

/** An RPC call as a platform worker makes it; the result (minus token fields) is kept for the canary scan. */
export async function rpc<T>(file: string, binding: Binding, method: string, input: unknown): Promise<T> {
  const result = await callRpc<T>(harness().platformUrl, binding, method, input);
  recordObserved(file, "rpc", result);
  return result;
}

let simAdmin: SimAdmin | undefined;
/** The simulator's control API (one client per test file). */
export function sim(): SimAdmin {
  simAdmin ??= createSimAdmin(harness().simUrl);
  return simAdmin;
}

let pool: pg.Pool | undefined;
/** SQL on the run's database (Node side: a direct TCP connection, not through the proxy). */
export function sql(): pg.Pool {
  if (pool === undefined) {
    pool = new pg.Pool({ connectionString: harness().databaseUrl, max: 3 });
    // The run restarts the server on purpose: an idle connection it drops is expected, not an error.
    pool.on("error", () => {});
  }
  return pool;
}

/** Ends this file's database pool (call in afterAll). */
export async function closeClients(): Promise<void> {
  await pool?.end();
  pool = undefined;
}

export interface Cell {
  person: Person;
  owner: string;
  repo: string;
  installationId: number;
  /** The platform tenant that claimed the installation (the App path is entitled for it only). */
  tenantId: string;
}

/** Claims an installation for a tenant, as `grantInstallation` records it (the run's own database). */
export async function claimFor(tenantId: string, installationId: number): Promise<void> {
  await sql().query(
    "insert into installation_claims (tenant_id, installation_id, via, caller) values ($1, $2, 'grant', 'reliability') on conflict do nothing",
    [tenantId, installationId],
  );
}

/** A fresh person with push access to a fresh repository the App is installed on; connected unless asked. */
export async function freshWorld(tag: string, options: { connect?: boolean } = {}): Promise<Cell> {
  const info = harness();
  const unique = `${tag}-${randomBytes(3).toString("hex")}`.toLowerCase();
  const world = await seedWorld(sim(), info.appId, {
    tag: unique,
    people: 1,
    orgs: 1,
    reposPerOrg: 1,
    role: () => "write",
  });
  const person = world.people[0]!;
  const org = world.orgs[0]!;
  await waitForInstallation(org.installationId);
  const tenantId = `${unique}-tenant`;
  await claimFor(tenantId, org.installationId);
  if (options.connect !== false) await connectPerson(info, info.simUrl, info.clientId, person);
  return { person, owner: org.login, repo: org.repos[0]!, installationId: org.installationId, tenantId };
}

/** Waits until the installation webhook reached the table (the App learns installations by webhook). */
export async function waitForInstallation(installationId: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rowCount } = await sql().query("select 1 from github_installations where installation_id = $1", [
      installationId,
    ]);
    if ((rowCount ?? 0) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`installation ${installationId} never reached the table`);
}

/** The person's row as stored (tokens encrypted). */
export async function tokenRow(
  userId: string,
): Promise<{ version: number; status: string; connection_id: string } | undefined> {
  const { rows } = await sql().query<{ version: number; status: string; connection_id: string }>(
    "select version, status, connection_id from github_user_tokens where user_id = $1",
    [userId],
  );
  return rows[0];
}

/** Moves the person's access-token expiry into the past: the next use refreshes. */
export async function expireAccessToken(userId: string): Promise<void> {
  await sql().query(
    "update github_user_tokens set access_expires_at = now() - interval '1 minute' where user_id = $1",
    [userId],
  );
}

/** The messages each worker's outermost boundary logs when an exception reached it. */
const BOUNDARY_MESSAGES = new Set([
  "unexpected error",
  "unhandled error",
  "session object call failed",
  "fetching the session's token failed",
  "preparing the session failed",
  "session alarm failed",
  "createSettingsLink failed",
  "startDeviceConnect failed",
  "getDeviceConnect failed",
  "device poll failed",
  "git-token could not be called",
  "refresher unreachable",
  "webhook handling failed",
]);

/**
 * Log lines that mean an exception reached a boundary (our logger at level error, with a boundary's
 * message), or escaped every boundary (a line workerd itself wrote about an uncaught error). A dropped
 * idle connection that the pool's error listener logs at warn is handled, and not counted.
 */
export function unhandledErrors(lines: readonly string[]): string[] {
  return lines.filter((line) => {
    let entry: { level?: string; msg?: string };
    try {
      entry = JSON.parse(line) as { level?: string; msg?: string };
    } catch {
      return /Uncaught/.test(line);
    }
    return entry.level === "error" && (BOUNDARY_MESSAGES.has(entry.msg ?? "") || /Uncaught/.test(line));
  });
}
