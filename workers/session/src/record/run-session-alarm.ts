import { runPreparationAlarm } from "../preparation/run-preparation-alarm.ts";
import type { SessionDeps } from "../types.ts";
import { expireIdleSession } from "./expire-idle-session.ts";
import { nextCheckAt } from "./session-deadline.ts";

/**
 * The object's one alarm does two jobs: background preparation while the session is `preparing`, and
 * afterwards the check that ends it at its absolute lifetime or deletes it when idle (and, once ended,
 * deletes its end marker). After a preparation attempt that ended the preparing state (ready or
 * failed), that check is scheduled.
 */
export async function runSessionAlarm(deps: SessionDeps): Promise<void> {
  const record = await deps.store.load();
  if (record === undefined || record.state !== "preparing") {
    await expireIdleSession(deps);
    return;
  }
  await runPreparationAlarm(deps);
  const after = await deps.store.load();
  if (after !== undefined && after.state !== "preparing")
    await deps.scheduleAlarm(nextCheckAt(after, deps.lifetimeMs));
}
