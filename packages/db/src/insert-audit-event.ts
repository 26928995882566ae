import type { Database } from "./open-database.ts";
import { auditEvents } from "./schema.ts";

export interface AuditEventInput {
  event: string;
  userId?: string | null;
  githubUserId?: number | null;
  /** The calling worker (service binding `props.caller`). */
  caller?: string | null;
  /** Ids and outcomes only: never a token, code or secret. */
  detail?: Record<string, unknown>;
}

/** Appends one audit event (connect, disconnect, refresh failure, data deletion, ...). */
export async function insertAuditEvent(db: Database, input: AuditEventInput): Promise<void> {
  await db.insert(auditEvents).values({
    event: input.event,
    userId: input.userId ?? null,
    githubUserId: input.githubUserId ?? null,
    caller: input.caller ?? null,
    detail: input.detail ?? {},
  });
}

/**
 * Appends several audit events in one statement: git-token batches the hand-out records of concurrent
 * calls into one INSERT on one connection instead of a connection per call. No rows, no statement.
 */
export async function insertAuditEvents(db: Database, inputs: readonly AuditEventInput[]): Promise<void> {
  if (inputs.length === 0) return;
  await db.insert(auditEvents).values(
    inputs.map((input) => ({
      event: input.event,
      userId: input.userId ?? null,
      githubUserId: input.githubUserId ?? null,
      caller: input.caller ?? null,
      detail: input.detail ?? {},
    })),
  );
}
