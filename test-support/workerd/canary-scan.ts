/**
 * The canary scan, shared by the workerd test projects: every token the simulator ever issued (it is the
 * one place that knows them all), plus the App's client secret and private key, must be absent from the
 * places a worker writes — KV, Durable Object storage, every Postgres table, captured log lines, and
 * whatever else a project collects (redirect URLs, HTTP bodies). A failure names the place and the
 * token's prefix, never the token.
 */
import { listDurableObjectIds, runInDurableObject } from "cloudflare:test";
import { openDatabase } from "@gitcred/db";
import { randomToken, setLogSink } from "@gitcred/utils";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect } from "vitest";
import { createSimAdmin } from "../../packages/github-sim/local/admin.ts";
import { authorizeAtSimulator } from "./authorize-at-simulator.ts";

export interface Secret {
  value: string;
  label: string;
}

/** Every KV key, metadata and value of a namespace. */
export async function kvHaystack(kv: KVNamespace): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await kv.list(cursor === undefined ? {} : { cursor });
    for (const key of page.keys) {
      out.push(key.name, JSON.stringify(key.metadata ?? null), (await kv.get(key.name)) ?? "");
    }
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor !== undefined);
  return out;
}

/** Every stored key/value and SQL table row of every object of a namespace (of the main worker). */
export async function durableObjectHaystack(namespace: DurableObjectNamespace): Promise<string[]> {
  const out: string[] = [];
  for (const id of await listDurableObjectIds(namespace)) {
    out.push(
      await runInDurableObject(namespace.get(id), async (_instance, state) => {
        const entries = await state.storage.list();
        const tables = state.storage.sql
          .exec<{ name: string }>(
            "select name from sqlite_master where type = 'table' and name not like '_cf_%'",
          )
          .toArray();
        const rows = tables.map((t) => state.storage.sql.exec(`select * from "${t.name}"`).toArray());
        return JSON.stringify({ entries: [...entries], rows });
      }),
    );
  }
  return out;
}

/** Every row of every table in the public schema, as JSON. */
export async function databaseHaystack(env: {
  DATABASE_URL?: string;
  DB_WS_PROXY?: string;
}): Promise<string[]> {
  const handle = openDatabase(env);
  try {
    const tables = await handle.db.execute<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
    );
    const out: string[] = [];
    for (const { table_name } of tables.rows) {
      const result = await handle.db.execute(
        sql`select row_to_json(t)::text as row from ${sql.identifier(table_name)} t`,
      );
      for (const row of result.rows) out.push(String((row as { row: unknown }).row));
    }
    return out;
  } finally {
    await handle.close();
  }
}

/** The secrets to look for: every token the simulator issued, the client secret, a slice of the key. */
export async function knownSecrets(env: {
  GITHUB_API_URL: string;
  GITHUB_CLIENT_SECRET?: string;
  GITHUB_APP_PRIVATE_KEY?: string;
}): Promise<Secret[]> {
  const sim = createSimAdmin(env.GITHUB_API_URL);
  const secrets: Secret[] = (await sim.issuedTokens()).map((t) => ({
    value: t.token,
    label: `${t.kind} token ${t.prefix}…`,
  }));
  const codes = await sim.issuedCodes();
  for (const code of codes.authorizationCodes) secrets.push({ value: code, label: "OAuth code" });
  for (const code of codes.deviceCodes) secrets.push({ value: code, label: "device code" });
  // SAML SSO authorize URLs reach the person only (the settings page's backend answers them, decrypted).
  for (const request of await sim.ssoRequests()) {
    const id = new URL(request.url).searchParams.get("authorization_request");
    if (id !== null) secrets.push({ value: id, label: "SSO authorize URL" });
  }
  if (env.GITHUB_CLIENT_SECRET) secrets.push({ value: env.GITHUB_CLIENT_SECRET, label: "client secret" });
  if (env.GITHUB_APP_PRIVATE_KEY) {
    const body = env.GITHUB_APP_PRIVATE_KEY.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
    secrets.push({ value: body.slice(40, 120), label: "private key" });
  }
  return secrets;
}

/** Where each secret was found ("<label> in <place>"); empty when the haystacks are clean. */
export function findSecrets(secrets: Secret[], places: [string, string[]][]): string[] {
  const found: string[] = [];
  for (const [place, haystack] of places) {
    const text = haystack.join("\n");
    for (const secret of secrets) {
      if (secret.value.length >= 8 && text.includes(secret.value)) found.push(`${secret.label} in ${place}`);
    }
  }
  return found;
}

/**
 * Has the simulator issue one OAuth code that nobody uses (the authorize page only: no token route is
 * called, so no count a test watches moves). A scan must then collect it and find it where it is put:
 * without this, a file whose tests issue nothing would scan for the App's two secrets alone, and a scan
 * that collected nothing would pass.
 */
export async function issueCanary(env: {
  GITHUB_API_URL: string;
  GITHUB_WEB_URL: string;
  GITHUB_CLIENT_ID: string;
}): Promise<string> {
  const login = `canary-${randomToken(6).replace(/[^A-Za-z0-9]/g, "x")}`;
  await createSimAdmin(env.GITHUB_API_URL).seedUser({ login });
  return (await authorizeAtSimulator(env, login)).code;
}

/** The App's own secrets, by the label `knownSecrets` gives them. */
export type AppSecret = "client secret" | "private key";

/**
 * The scan was armed: it looked for the App's secrets this project's worker is given and for the
 * canary, and it would have seen it.
 */
export function expectScanArmed(secrets: Secret[], canary: string, appSecrets: readonly AppSecret[]): void {
  expect(secrets.map((s) => s.label)).toEqual(expect.arrayContaining([...appSecrets]));
  expect(secrets.some((s) => s.value === canary)).toBe(true);
  expect(findSecrets(secrets, [["a haystack holding the canary", [`before ${canary} after`]]])).toEqual([
    "OAuth code in a haystack holding the canary",
  ]);
}

export interface ScanOptions {
  /** The test worker's env: where the simulator is, and the App's secrets it was given. */
  env: Parameters<typeof knownSecrets>[0] & Parameters<typeof issueCanary>[0];
  /** Which of the App's secrets the env holds: the scan must have looked for each. */
  appSecrets: readonly AppSecret[];
  /** The places this project's worker writes, read after the file's tests (log lines are added). */
  places: () => Promise<[string, string[]][]>;
  /** Where captured log lines go (tests may read them); a fresh array by default. */
  lines?: string[];
  /** Also print error lines (already redacted), so a failing test shows them. */
  echoErrors?: boolean;
}

/**
 * The canary scan around every test file of a project (call it from the project's setup file): log
 * lines are captured from before the file's tests until after them and a canary code is issued for the
 * file; afterwards no known secret may be in the lines or in any of the project's places, and the scan
 * must have been armed. One arming for every workerd project, so no project's scan is weaker by copy.
 */
export function scanEachTestFile(options: ScanOptions): void {
  const lines = options.lines ?? [];
  let canary = "";
  beforeAll(async () => {
    setLogSink((line, level) => {
      lines.push(line);
      if (options.echoErrors === true && level === "error") console.error(line);
    });
    canary = await issueCanary(options.env);
  });
  afterAll(async () => {
    setLogSink(null);
    const secrets = await knownSecrets(options.env);
    const found = findSecrets(secrets, [...(await options.places()), ["logs", lines.splice(0)]]);
    expect(found, `secrets found at rest or in logs (of ${secrets.length} checked)`).toEqual([]);
    expectScanArmed(secrets, canary, options.appSecrets);
  });
}
