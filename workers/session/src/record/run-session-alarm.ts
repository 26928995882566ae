import { runPreparationAlarm } from "../preparation/run-preparation-alarm.ts";
import type { SessionDeps } from "../types.ts";
import { expireIdleSession, idleCheckAt } from "./expire-idle-session.ts";

/**
 * The object's one alarm does two jobs: background preparation while the session is `preparing`, and
 * afterwards the idle check that eventually deletes it. After a preparation attempt that ended the
 * preparing state (ready or failed), the idle check is scheduled.
 */
export async function runSessionAlarm(deps: SessionDeps): Promise<void> {
  const record = await deps.store.load();
  if (record === undefined) return;
  if (record.state !== "preparing") {
    await expireIdleSession(deps);
    return;
  }
  await runPreparationAlarm(deps);
  const after = await deps.store.load();
  if (after !== undefined && after.state !== "preparing")
    await deps.scheduleAlarm(idleCheckAt(after.updatedAt));
}
