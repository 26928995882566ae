import { lt } from "drizzle-orm";
import type { Database } from "./open-database.ts";
import { rateLimits } from "./schema.ts";

/**
 * Forgets counters whose window started before `before` (pass a time older than the longest window in
 * use): every page session that ever started a device flow leaves a counter, and without this the table
 * would grow forever, each row naming a person.
 */
export async function pruneRateLimits(db: Database, before: Date): Promise<number> {
  const rows = await db
    .delete(rateLimits)
    .where(lt(rateLimits.windowStartedAt, before))
    .returning({ bucket: rateLimits.bucket });
  return rows.length;
}
