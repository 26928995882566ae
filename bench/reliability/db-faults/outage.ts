/**
 * The database going away while requests run: the server restarted (fast shutdown and start), the server
 * down for a few seconds, and every open connection cut at once. Lanes of calls keep running across it;
 * every answer must be a success or a clear `*_unavailable` with a retry time, and once the database is
 * back, calls must succeed again without anything restarting the workers.
 */
import { type Cell, control, rpc } from "../harness/client.ts";

const FILE = "database-faults";

export type OutageKind = "server restarted" | "server down 3 s" | "every connection cut";

export interface OutageOutcome {
  kind: OutageKind;
  calls: number;
  faultMs: number;
  /**
   * Answers by op and outcome: `before` ended before the fault began, `after` started once it was lifted,
   * `during` is every call in between (in flight at some point of the fault).
   */
  byPhase: { before: Record<string, number>; during: Record<string, number>; after: Record<string, number> };
  /** Answers that are neither a success nor `*_unavailable` with a retry time. */
  unclear: string[];
  /** From the database being back to the first success of a call that needs it (measured, for the report). */
  recoveryMs: number | null;
  /** Every call started after the fault was lifted (the first few of each lane, counted) succeeded. */
  allOkAfter: boolean;
}

interface Answer {
  ok?: boolean;
  reason?: string;
  retryAfterSeconds?: number;
}

type Call = { op: string; run(): Promise<Answer> };

function calls(cells: Cell[], serial: { n: number }): Call[] {
  return cells.flatMap((cell) => {
    const userId = cell.person.userId;
    return [
      { op: "getConnection", run: () => rpc<Answer>(FILE, "GIT_TOKEN", "getConnection", { userId }) },
      { op: "createSettingsLink", run: () => rpc<Answer>(FILE, "CONNECT", "createSettingsLink", { userId }) },
      {
        op: "prepareSession",
        run: () =>
          rpc<Answer>(FILE, "SESSION", "prepareSession", {
            sessionId: `outage-${userId}-${serial.n++}`,
            userId,
            tenantId: cell.tenantId,
            owner: cell.owner,
            repo: cell.repo,
            mode: "now",
          }),
      },
      {
        op: "getTokenForRepo",
        run: () =>
          rpc<Answer>(FILE, "GIT_TOKEN", "getTokenForRepo", {
            userId,
            tenantId: cell.tenantId,
            owner: cell.owner,
            repo: cell.repo,
          }),
      },
    ];
  });
}

const outcomeOf = (a: Answer) => (a.ok === true ? "ok" : (a.reason ?? "malformed"));
const bump = (map: Record<string, number>, key: string) => {
  map[key] = (map[key] ?? 0) + 1;
};

async function fault(kind: OutageKind): Promise<void> {
  if (kind === "server restarted") await control("/db/restart", {});
  else if (kind === "every connection cut") await control("/db/drop-all", {});
  else {
    await control("/db/stop", {});
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await control("/db/start", {});
  }
}

/** Calls each lane completes before the fault, so every kind of call is seen working first. */
const CALLS_BEFORE = 2;
/** Calls each lane starts once the fault is lifted: recovery means every one of them succeeds. */
const CALLS_AFTER = 3;

/** Where the run is when a call starts or ends: before the fault, while it lasts, after it was lifted. */
type Phase = "before" | "fault" | "after";

/**
 * Runs four lanes of calls across one outage and classifies every answer by phase, by the order of
 * events rather than by time: a call that ended before the fault began is `before`, one started after
 * the fault was lifted is `after`, and every call in between (in flight or started while the fault
 * lasted) is `during`. The fault begins once every lane has completed `CALLS_BEFORE` calls; the run ends
 * once every lane has started `CALLS_AFTER` calls after the fault, and recovery (`allOkAfter`) means all
 * of those succeeded, the very first one of each lane included.
 */
export async function runOutage(
  kind: OutageKind,
  cells: Cell[],
  serial: { n: number },
): Promise<OutageOutcome> {
  const plan = calls(cells, serial);
  const records: {
    started: Phase;
    ended: Phase;
    end: number;
    op: string;
    outcome: string;
    clear: boolean;
  }[] = [];
  let phase: Phase = "before";
  const before = [0, 0, 0, 0];
  const after = [0, 0, 0, 0];
  let warmedUp = () => {};
  const everyLaneWorked = new Promise<void>((resolve) => {
    warmedUp = resolve;
  });
  const lanes = [0, 1, 2, 3].map(async (lane) => {
    for (let i = lane; (after[lane] ?? 0) < CALLS_AFTER; i += 4) {
      const call = plan[i % plan.length]!;
      const started = phase;
      if (started === "after") after[lane] = (after[lane] ?? 0) + 1;
      let answer: Answer;
      try {
        answer = await call.run();
      } catch (error) {
        answer = { ok: false, reason: `thrown: ${error instanceof Error ? error.message : String(error)}` };
      }
      const ended = phase;
      const outcome = outcomeOf(answer);
      const clear =
        answer.ok === true || (/_unavailable$/.test(outcome) && (answer.retryAfterSeconds ?? 0) > 0);
      records.push({ started, ended, end: performance.now(), op: call.op, outcome, clear });
      if (ended === "before") {
        before[lane] = (before[lane] ?? 0) + 1;
        if (before.every((n) => n >= CALLS_BEFORE)) warmedUp();
      }
    }
  });
  await everyLaneWorked;
  phase = "fault";
  const faultStart = performance.now();
  await fault(kind);
  const faultEnd = performance.now();
  phase = "after";
  await Promise.all(lanes);
  const byPhase = { before: {}, during: {}, after: {} } as OutageOutcome["byPhase"];
  for (const r of records) {
    const named = r.ended === "before" ? "before" : r.started === "after" ? "after" : "during";
    bump(byPhase[named], `${r.op}: ${r.outcome}`);
  }
  const afterFault = records.filter((r) => r.started === "after");
  const firstOk = afterFault
    .filter((r) => r.outcome === "ok" && r.op !== "getTokenForRepo")
    .sort((a, b) => a.end - b.end)[0];
  return {
    kind,
    calls: records.length,
    faultMs: Math.round(faultEnd - faultStart),
    byPhase,
    unclear: records.filter((r) => !r.clear).map((r) => `${r.op}: ${r.outcome}`),
    // A figure for the report (how long the first success took), not what recovery is judged by.
    recoveryMs: firstOk === undefined ? null : Math.round(firstOk.end - faultEnd),
    allOkAfter:
      afterFault.length === CALLS_AFTER * lanes.length && afterFault.every((r) => r.outcome === "ok"),
  };
}
