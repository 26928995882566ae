import { sql } from "drizzle-orm";
import { type DatabaseEnv, openDatabase } from "./open-database.ts";

export type DatabaseHealth =
  | { ok: true }
  | { ok: false; reason: "database_unavailable" | "database_not_configured" };

/** One round trip to Postgres, for health checks. Never throws: health endpoints must answer. */
export async function pingDatabase(
  env: DatabaseEnv,
  waitUntil: (p: Promise<unknown>) => void,
): Promise<DatabaseHealth> {
  if (env.DATABASE_URL === undefined || env.DATABASE_URL === "") {
    return { ok: false, reason: "database_not_configured" };
  }
  const handle = openDatabase(env);
  try {
    await handle.db.execute(sql`select 1`);
    return { ok: true };
  } catch {
    return { ok: false, reason: "database_unavailable" };
  } finally {
    waitUntil(handle.close());
  }
}
