/**
 * Where the canary scan looks: the workers' log lines, the raw bytes of every file Miniflare keeps for
 * KV and Durable Object storage (SQLite databases, their WAL, blobs), every row of every table in
 * Postgres (tokens there are envelopes: a plaintext token would be found), and what callers saw come
 * back (RPC results without their token fields, HTTP bodies, redirect URLs).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { logsSince, sql } from "./client.ts";
import { readObserved } from "./observed.ts";

export interface Haystack {
  place: string;
  items: number;
  bytes: number;
  text: string;
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? files(path) : entry.isFile() ? [path] : [];
  });
}

/** Reads every place the scan searches, as text. */
export async function collectHaystacks(persistDir: string): Promise<Haystack[]> {
  const logs = (await logsSince(0)).lines;
  const stored = files(persistDir);
  const kv = stored.filter((f) => relative(persistDir, f).startsWith("kv"));
  const objects = stored.filter((f) => !relative(persistDir, f).startsWith("kv"));
  const read = (list: string[]) => list.map((f) => readFileSync(f).toString("latin1")).join("\n");
  const size = (list: string[]) => list.reduce((n, f) => n + statSync(f).size, 0);
  const { rows: tables } = await sql().query<{ table_name: string }>(
    "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'",
  );
  const rows: string[] = [];
  for (const { table_name } of tables) {
    const result = await sql().query<{ row: string }>(
      `select row_to_json(t)::text as row from "${table_name}" t`,
    );
    rows.push(...result.rows.map((r) => r.row));
  }
  const observed = readObserved().filter((line) => line !== "");
  return [
    { place: "worker logs", items: logs.length, bytes: logs.join("\n").length, text: logs.join("\n") },
    { place: "KV (Miniflare's files)", items: kv.length, bytes: size(kv), text: read(kv) },
    {
      place: "Durable Object storage (Miniflare's files)",
      items: objects.length,
      bytes: size(objects),
      text: read(objects),
    },
    {
      place: `Postgres (${tables.length} tables, every row)`,
      items: rows.length,
      bytes: rows.join("\n").length,
      text: rows.join("\n"),
    },
    {
      place: "RPC results (token fields removed), HTTP bodies, redirect URLs",
      items: observed.length,
      bytes: observed.join("\n").length,
      text: observed.join("\n"),
    },
  ];
}
