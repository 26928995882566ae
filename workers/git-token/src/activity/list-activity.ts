import type { ListActivityResult } from "@gitcred/client";
import { listAuditEventsForUser } from "@gitcred/db";
import type { ServiceDeps } from "../deps.ts";
import { settleHandOuts } from "./record-hand-out.ts";
import { toActivityEvent } from "./to-activity-event.ts";

/** Events on one page when the caller asks for no particular number. */
export const ACTIVITY_PAGE_DEFAULT = 20;

/**
 * One page of the person's own activity (their audit events, newest first), each reduced to shown-safe
 * fields by `toActivityEvent`. Filtered by the `userId` the connect worker took from its page session,
 * so a page shows only its own person's events; the cursor is the last event's id, so it can only move
 * within that person's events, never widen them. Hand-outs this isolate is still writing (they are
 * written after their answer) are waited for first, so a page answered here lists them.
 */
export async function listActivity(
  deps: ServiceDeps,
  input: { userId: string; cursor?: string | undefined; limit?: number | undefined },
): Promise<ListActivityResult> {
  const limit = input.limit ?? ACTIVITY_PAGE_DEFAULT;
  await settleHandOuts(deps);
  const rows = await listAuditEventsForUser(deps.db(), {
    userId: input.userId,
    beforeId: input.cursor === undefined ? undefined : Number(input.cursor),
    limit,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    ok: true,
    events: page.map(toActivityEvent),
    ...(rows.length > limit && last !== undefined ? { nextCursor: String(last.id) } : {}),
  };
}
