/**
 * Database faults: a Postgres connection cut in the middle of a request (before the statement reaches
 * the server, or after it ran but before the answer came back), the server restarted, the server down
 * for 3 s, and every connection cut at once — during running calls. Goals: clear `*_unavailable` answers
 * (with a retry time), no half-written rows, recovery without restarting the workers, no token lost.
 */
import { afterAll, describe, expect, it } from "vitest";
import { type OutageKind, type OutageOutcome, runOutage } from "./db-faults/outage.ts";
import { allRowsWhole } from "./db-faults/row-checks.ts";
import { type DropOutcome, runDropScenario, SCENARIOS } from "./db-faults/scenarios.ts";
import { closeClients, freshWorld, harness } from "./harness/client.ts";
import { writeFigures } from "./harness/figures.ts";

const drops: DropOutcome[] = [];
const outages: OutageOutcome[] = [];
let rows: { rows: number; broken: string[] } = { rows: 0, broken: [] };

function record(): void {
  writeFigures("database-faults", { drops, outages, rows, restartable: harness().restartable });
}

afterAll(async () => {
  record();
  await closeClients();
});

describe("database faults", () => {
  it("a connection cut mid-request: a clear *_unavailable, whole rows, recovery, no token lost", async () => {
    for (const [i, scenario] of SCENARIOS.entries()) drops.push(await runDropScenario(scenario, `dbf${i}`));
    record();
    expect(drops.filter((d) => !d.fired).map((d) => d.scenario)).toEqual([]);
    expect(drops.filter((d) => !d.clear).map((d) => `${d.scenario}: ${d.result}`)).toEqual([]);
    expect(drops.filter((d) => !d.rowWhole).map((d) => d.scenario)).toEqual([]);
    expect(drops.filter((d) => !d.recovered).map((d) => `${d.scenario}: ${d.note}`)).toEqual([]);
    expect(drops.filter((d) => d.tokensLost > 0).map((d) => `${d.scenario}: ${d.tokensLost} lost`)).toEqual(
      [],
    );
  });

  it("the server restarted / down / every connection cut during running calls", async () => {
    const cells = [];
    for (let i = 0; i < 4; i++) cells.push(await freshWorld(`outage${i}`));
    const serial = { n: 0 };
    const kinds: OutageKind[] = harness().restartable
      ? ["server restarted", "server down 3 s", "every connection cut"]
      : ["every connection cut"];
    for (const kind of kinds) outages.push(await runOutage(kind, cells, serial));
    rows = await allRowsWhole();
    record();
    expect(harness().restartable).toBe(true);
    expect(outages.flatMap((o) => o.unclear.map((u) => `${o.kind}: ${u}`))).toEqual([]);
    expect(outages.filter((o) => !o.allOkAfter).map((o) => o.kind)).toEqual([]);
    expect(rows.broken).toEqual([]);
  });
});
