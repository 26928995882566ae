import { and, desc, eq, lt } from "drizzle-orm";
import type { Database } from "./open-database.ts";
import { type AuditEventRow, auditEvents } from "./schema.ts";

/**
 * One page of a person's audit events, newest first: only rows recorded under `userId` (never another
 * person's, never erased ones, whose user id is gone), older than `beforeId` when given (keyset paging,
 * so a page never repeats or skips an event written meanwhile). Reads `limit + 1` rows: the caller
 * knows whether an older page exists without a second query.
 */
export async function listAuditEventsForUser(
  db: Database,
  input: { userId: string; beforeId?: number | undefined; limit: number },
): Promise<AuditEventRow[]> {
  const byUser = eq(auditEvents.userId, input.userId);
  return db
    .select()
    .from(auditEvents)
    .where(input.beforeId === undefined ? byUser : and(byUser, lt(auditEvents.id, input.beforeId)))
    .orderBy(desc(auditEvents.id))
    .limit(input.limit + 1);
}
