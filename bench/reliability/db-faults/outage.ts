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
  byPhase: { before: Record<string, number>; during: Record<string, number>; after: Record<string, number> };
  /** Answers that are neither a success nor `*_unavailable` with a retry time. */
  unclear: string[];
  /** From the database being back to the first success of a call that needs it. */
  recoveryMs: number | null;
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
            owner: cell.owner,
            repo: cell.repo,
            mode: "now",
          }),
      },
      {
        op: "getTokenForRepo",
        run: () =>
          rpc<Answer>(FILE, "GIT_TOKEN", "getTokenForRepo", { userId, owner: cell.owner, repo: cell.repo }),
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

/** Runs four lanes of calls across one outage and classifies every answer by phase. */
export async function runOutage(
  kind: OutageKind,
  cells: Cell[],
  serial: { n: number },
): Promise<OutageOutcome> {
  const plan = calls(cells, serial);
  const records: { start: number; end: number; op: string; outcome: string; clear: boolean }[] = [];
  const t0 = performance.now();
  let stopAt = Number.POSITIVE_INFINITY;
  const lanes = [0, 1, 2, 3].map(async (lane) => {
    for (let i = lane; performance.now() - t0 < stopAt; i += 4) {
      const call = plan[i % plan.length]!;
      const start = performance.now() - t0;
      let answer: Answer;
      try {
        answer = await call.run();
      } catch (error) {
        answer = { ok: false, reason: `thrown: ${error instanceof Error ? error.message : String(error)}` };
      }
      const outcome = outcomeOf(answer);
      const clear =
        answer.ok === true || (/_unavailable$/.test(outcome) && (answer.retryAfterSeconds ?? 0) > 0);
      records.push({ start, end: performance.now() - t0, op: call.op, outcome, clear });
    }
  });
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const faultStart = performance.now() - t0;
  await fault(kind);
  const faultEnd = performance.now() - t0;
  stopAt = faultEnd + 4_000;
  await Promise.all(lanes);
  const byPhase = { before: {}, during: {}, after: {} } as OutageOutcome["byPhase"];
  const grace = faultEnd + 1_000;
  for (const r of records) {
    const phase = r.end < faultStart ? "before" : r.start > grace ? "after" : "during";
    bump(byPhase[phase], `${r.op}: ${r.outcome}`);
  }
  const firstOk = records
    .filter((r) => r.start >= faultEnd && r.outcome === "ok" && r.op !== "getTokenForRepo")
    .sort((a, b) => a.end - b.end)[0];
  const after = records.filter((r) => r.start > grace);
  return {
    kind,
    calls: records.length,
    faultMs: Math.round(faultEnd - faultStart),
    byPhase,
    unclear: records.filter((r) => !r.clear).map((r) => `${r.op}: ${r.outcome}`),
    recoveryMs: firstOk === undefined ? null : Math.round(firstOk.end - faultEnd),
    allOkAfter: after.length > 0 && after.every((r) => r.outcome === "ok"),
  };
}
