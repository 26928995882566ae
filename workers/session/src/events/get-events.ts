import type { GetEventsResult } from "@gitcred/client";
import { authorizeCaller } from "../record/authorize-caller.ts";
import type { Caller, SessionDeps } from "../types.ts";

/**
 * The session's event log after `after`, oldest first (prepared, retries, refreshes, the downgrade with
 * its reason, failure). Read from storage, so it is the same after the object was evicted.
 */
export async function getEvents(
  deps: SessionDeps,
  caller: Caller,
  after: number,
  limit: number,
): Promise<GetEventsResult> {
  const authorized = await authorizeCaller(deps, caller);
  if (!authorized.ok) return authorized;
  const events = await deps.store.listEvents(after, limit);
  return { ok: true, events, lastSeq: events.at(-1)?.seq ?? Math.min(after, authorized.record.lastSeq) };
}
