/**
 * Fault matrix: every GitHub fault (5xx, timeout, connection reset, primary and secondary rate limits,
 * bad_refresh_token, 401) × every operation that talks to GitHub (install token, user token, refresh,
 * access check, OAuth exchange, device poll, disconnect), injected at the simulator on exactly the
 * call the operation makes. Each cell: the answer checked against the documented one, then GitHub is
 * healthy again and the operation must recover — a token GitHub still accepts must not be lost.
 * Cells of one fault run concurrently (each on its own person/repository; faults target their paths).
 */
import { afterAll, describe, expect, it } from "vitest";
import { FAULTS } from "./fault-matrix/faults.ts";
import { type Context, OPERATIONS } from "./fault-matrix/operations.ts";
import { closeClients, logsSince, rpc, sim, unhandledErrors } from "./harness/client.ts";
import type { MatrixCell, MatrixFigures } from "./harness/figure-types.ts";
import { writeFigures } from "./harness/figures.ts";

const cells: MatrixCell[] = [];
const unhandled: string[] = [];

afterAll(async () => {
  await closeClients();
});

describe("GitHub fault matrix", () => {
  it("every fault × operation gets its documented result, recovers, loses no token, throws nothing", async () => {
    for (const fault of FAULTS) {
      const operations = OPERATIONS.filter((op) => op.applies(fault));
      const contexts: Context[] = [];
      for (const op of operations) {
        contexts.push(
          await op.prepare(
            `fm-${fault.name.replace(/[^a-z0-9]/gi, "").slice(0, 8)}-${op.name.replace(/\W/g, "")}`.toLowerCase(),
          ),
        );
      }
      const logStart = (await logsSince(Number.MAX_SAFE_INTEGER)).next;
      for (const [i, op] of operations.entries())
        await sim().injectFault(fault.rule(op.target(contexts[i]!)));
      const runs = await Promise.all(
        operations.map(async (op, i) => {
          const started = performance.now();
          const result = await op.run(contexts[i]!);
          return { result, ms: performance.now() - started };
        }),
      );
      await sim().clearFaults();
      for (const [i, op] of operations.entries()) {
        const ctx = contexts[i]!;
        const judged = await op.judge(fault, runs[i]!.result, ctx);
        const recovery = await op.recover(fault, ctx);
        cells.push({
          fault: fault.name,
          operation: op.name,
          ...judged,
          ...recovery,
          ms: Math.round(runs[i]!.ms),
        });
      }
      unhandled.push(...unhandledErrors((await logsSince(logStart)).lines));
    }
    // The platform stand-in parses the body as JSON: an empty object, health takes no input.
    const health = await rpc<Record<string, string | boolean>>("fault-matrix", "GIT_TOKEN", "health", {});
    const count = (key: string) => Number(health[key] ?? Number.NaN);
    const figures: MatrixFigures = {
      faults: FAULTS.map((f) => f.name),
      operations: OPERATIONS.map((o) => o.name),
      cells,
      cellsRun: cells.length,
      mismatches: cells.filter((c) => !c.matches).length,
      notRecovered: cells.filter((c) => c.recovered === false).length,
      validTokensLost: cells.filter((c) => c.tokenLost).length,
      unhandledExceptions: unhandled.length,
      unhandledSamples: unhandled.slice(0, 5),
      limits: {
        githubPeakInFlight: count("githubPeakInFlight"),
        appQuotaHeldBack: count("appQuotaHeldBack"),
        lockoutsSeen: count("lockoutsSeen"),
      },
    };
    writeFigures("fault-matrix", figures);
    expect(cells.filter((c) => !c.matches).map((c) => `${c.fault} × ${c.operation}: ${c.got}`)).toEqual([]);
    expect(cells.filter((c) => c.recovered === false).map((c) => `${c.fault} × ${c.operation}`)).toEqual([]);
    expect(figures.validTokensLost).toBe(0);
    expect(unhandled).toEqual([]);
    // GitHub's secondary limit: never more than 100 requests in flight from one isolate.
    expect(figures.limits?.githubPeakInFlight).toBeLessThanOrEqual(100);
    // The lockout cell: the person's lockout was waited out, not called through.
    expect(figures.limits?.lockoutsSeen).toBeGreaterThanOrEqual(1);
  });
});
