/**
 * Where the canary scan looks: the workers' log lines, the raw bytes of every file Miniflare keeps for
 * KV and Durable Object storage (SQLite databases, their WAL, blobs), every row of every table in
 * Postgres (tokens there are envelopes: a plaintext token would be found), and what callers saw come
 * back (RPC results without their token fields, HTTP bodies, redirect URLs).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { logsSince, sql } from "./client.ts";
import { readObserved } from "./observed.ts";

export interface Haystack {
  place: string;
  items: number;
  bytes: number;
  text: string;
  /** The person's own view (their settings pages): a SAML SSO authorize URL may be here, nothing else. */
  personOnly?: true;
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? files(path) : entry.isFile() ? [path] : [];
  });
}

/**
 * The files' bytes as text. SQLite's `-wal`/`-shm` files come and go while objects run, so a file listed
 * a moment ago may be gone: it is skipped (whatever it held is in the database file or a newer WAL).
 */
function readAll(list: string[]): { items: number; bytes: number; text: string } {
  const texts: string[] = [];
  let bytes = 0;
  for (const file of list) {
    let content: Buffer;
    try {
      content = readFileSync(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw error;
    }
    bytes += content.length;
    texts.push(content.toString("latin1"));
  }
  return { items: texts.length, bytes, text: texts.join("\n") };
}

/** Reads every place the scan searches, as text. */
export async function collectHaystacks(persistDir: string): Promise<Haystack[]> {
  const logs = (await logsSince(0)).lines;
  const stored = files(persistDir);
  const kv = stored.filter((f) => relative(persistDir, f).startsWith("kv"));
  const objects = stored.filter((f) => !relative(persistDir, f).startsWith("kv"));
  const kvBytes = readAll(kv);
  const objectBytes = readAll(objects);
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
  const observed = readObserved(false).filter((line) => line !== "");
  const personal = readObserved(true);
  return [
    { place: "worker logs", items: logs.length, bytes: logs.join("\n").length, text: logs.join("\n") },
    { place: "KV (Miniflare's files)", items: kvBytes.items, bytes: kvBytes.bytes, text: kvBytes.text },
    {
      place: "Durable Object storage (Miniflare's files)",
      items: objectBytes.items,
      bytes: objectBytes.bytes,
      text: objectBytes.text,
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
    {
      place: "the person's own settings pages",
      items: personal.length,
      bytes: personal.join("\n").length,
      text: personal.join("\n"),
      personOnly: true,
    },
  ];
}
