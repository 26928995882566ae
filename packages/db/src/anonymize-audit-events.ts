import { eq, sql } from "drizzle-orm";
import type { Database } from "./open-database.ts";
import { auditEvents } from "./schema.ts";

/**
 * For data deletion: keeps the person's audit events (what happened, when, which worker asked) but
 * removes who it was: user id, GitHub id and the detail (which may name a login). Returns how many.
 */
export async function anonymizeAuditEvents(db: Database, userId: string): Promise<number> {
  const rows = await db
    .update(auditEvents)
    .set({ userId: null, githubUserId: null, detail: sql`'{"anonymized":true}'::jsonb` })
    .where(eq(auditEvents.userId, userId))
    .returning({ id: auditEvents.id });
  return rows.length;
}
