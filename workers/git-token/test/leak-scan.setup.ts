/**
 * The canary scan, run after every test file of this project: every token the simulator ever issued
 * (it is the one place that knows them all), the App's client secret and private key must be absent from
 * KV values and keys, Durable Object storage, every plaintext column of every table, and every log line
 * the worker wrote during the file (captured through the logger's sink). A failure names where a secret
 * was found and its prefix, never the secret.
 */

import { listDurableObjectIds, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { openDatabase } from "@gitcred/db";
import { setLogSink } from "@gitcred/utils";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect } from "vitest";
import { createSimAdmin } from "../../../packages/github-sim/local/admin.ts";

const lines: string[] = [];

beforeAll(() => {
  setLogSink((line) => {
    lines.push(line);
  });
});

async function kvHaystack(): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.TOKEN_CACHE.list(cursor === undefined ? {} : { cursor });
    for (const key of page.keys) {
      out.push(key.name, JSON.stringify(key.metadata ?? null), (await env.TOKEN_CACHE.get(key.name)) ?? "");
    }
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor !== undefined);
  return out;
}

async function durableObjectHaystack(): Promise<string[]> {
  const out: string[] = [];
  for (const id of await listDurableObjectIds(env.USER_TOKEN_REFRESHER)) {
    const stub = env.USER_TOKEN_REFRESHER.get(id);
    out.push(
      await runInDurableObject(stub, async (_instance, state) => {
        const entries = await state.storage.list();
        const tables = state.storage.sql
          .exec("select name from sqlite_master where type = 'table' and name not like '_cf_%'")
          .toArray();
        return JSON.stringify({ entries: [...entries], tables });
      }),
    );
  }
  return out;
}

async function databaseHaystack(): Promise<string[]> {
  const handle = openDatabase(env);
  try {
    const tables = [
      "github_user_tokens",
      "github_installations",
      "github_installation_repositories",
      "oauth_states",
      "audit_events",
      "webhook_deliveries",
    ];
    const out: string[] = [];
    for (const table of tables) {
      const result = await handle.db.execute(
        sql`select row_to_json(t)::text as row from ${sql.identifier(table)} t`,
      );
      for (const row of result.rows) out.push(String((row as { row: unknown }).row));
    }
    return out;
  } finally {
    await handle.close();
  }
}

afterAll(async () => {
  setLogSink(null);
  const sim = createSimAdmin(env.GITHUB_API_URL);
  const secrets = (await sim.issuedTokens()).map((t) => ({
    value: t.token,
    label: `${t.kind} token ${t.prefix}…`,
  }));
  secrets.push({ value: env.GITHUB_CLIENT_SECRET, label: "client secret" });
  const keyBody = env.GITHUB_APP_PRIVATE_KEY.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
  secrets.push({ value: keyBody.slice(40, 120), label: "private key" });
  const places: [string, string[]][] = [
    ["KV", await kvHaystack()],
    ["Durable Object storage", await durableObjectHaystack()],
    ["Postgres", await databaseHaystack()],
    ["logs", lines.splice(0)],
  ];
  const found: string[] = [];
  for (const [place, haystack] of places) {
    const text = haystack.join("\n");
    for (const secret of secrets)
      if (secret.value.length >= 8 && text.includes(secret.value)) found.push(`${secret.label} in ${place}`);
  }
  expect(found, `secrets found at rest or in logs (of ${secrets.length} checked)`).toEqual([]);
  expect(secrets.length).toBeGreaterThan(2);
});
