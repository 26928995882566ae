import { updateRecord } from "../record/update-record.ts";
import type { SessionDeps, SessionRecord } from "../types.ts";

/**
 * Ends preparation for good: state `failed` with the reason, one `failed` event. A session that became
 * ready meanwhile (another attempt won) is left alone.
 */
export async function markFailed(
  deps: SessionDeps,
  failure: { reason: string; message?: string },
  attempts: number,
): Promise<SessionRecord | undefined> {
  const record = await updateRecord(deps, (current) => {
    if (current.state === "ready") return undefined;
    const next: SessionRecord = {
      ...current,
      state: "failed",
      failure: failure.message === undefined ? { reason: failure.reason } : { ...failure },
      preparation: { mode: current.preparation.mode, attempts },
    };
    return {
      record: next,
      events: [
        {
          type: "failed",
          level: "error",
          reason: failure.reason,
          attempt: attempts,
          message: `Preparing the session failed: ${failure.reason}${failure.message === undefined ? "" : ` (${failure.message})`}.`,
        },
      ],
    };
  });
  deps.log.warn("session preparation failed", { reason: failure.reason, attempts });
  return record;
}
