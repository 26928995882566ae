import { env } from "cloudflare:workers";
import { afterAll } from "vitest";
import { type Database, openDatabase } from "../src/open-database.ts";

/**
 * A test file's database: the returned `open` gives a fresh handle on the test Postgres each call, and
 * every handle opened is closed in the file's `afterAll`.
 */
export function useDatabase(): () => Database {
  const handles: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    await Promise.all(handles.map((h) => h.close()));
  });
  return () => {
    const handle = openDatabase(env);
    handles.push(handle);
    return handle.db;
  };
}
