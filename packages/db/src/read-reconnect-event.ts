import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "./open-database.ts";
import { auditEvents } from "./schema.ts";

/** The audit events that mark a connection `reconnect_required`. */
const MARKING_EVENTS = ["grant_revoked", "refresh_failed", "token_rejected"];

/**
 * The newest event that marked this very connection (`detail.connectionId`) as needing a reconnect, so
 * the settings page can say why; undefined when none is recorded. Another connection's marking (an
 * earlier account of the same person) is never taken for this one's.
 */
export async function readReconnectEvent(
  db: Database,
  userId: string,
  connectionId: string,
): Promise<{ event: string; reason: string | undefined } | undefined> {
  const [row] = await db
    .select({ event: auditEvents.event, detail: auditEvents.detail })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.userId, userId),
        inArray(auditEvents.event, MARKING_EVENTS),
        sql`${auditEvents.detail}->>'connectionId' = ${connectionId}`,
      ),
    )
    .orderBy(desc(auditEvents.id))
    .limit(1);
  if (row === undefined) return undefined;
  const reason = row.detail.reason;
  return { event: row.event, reason: typeof reason === "string" ? reason : undefined };
}
