/**
 * Races: connect, disconnect, refresh and device-flow polls on one person, interleaved at random (seeded),
 * each prepared first and then run concurrently; after every round the invariants are checked (one row
 * per person, no valid token cleared, the row whole, the version up by one per write — every write,
 * recorded by a trigger).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeClients, freshWorld, tokenRow } from "./harness/client.ts";
import { writeFigures } from "./harness/figures.ts";
import { installHistory, lastHistoryId } from "./races/history.ts";
import { checkInvariants, type Violations } from "./races/invariants.ts";
import { prepare, type RaceOp, type RaceTarget } from "./races/operations.ts";

const ROUNDS = Number(process.env.GITCRED_RACE_ROUNDS ?? "30");
const OPS: RaceOp[] = ["connect", "device", "refresh", "disconnect"];
const violations: Violations = {
  oneRowPerPerson: [],
  noValidTokenCleared: [],
  versionPlusOne: [],
  wholeRow: [],
};
const rounds: { ops: string[]; calls: number; outcomes: string[] }[] = [];

/** mulberry32: the same interleavings on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

beforeAll(installHistory);

afterAll(async () => {
  writeFigures("races", { rounds, violations });
  await closeClients();
});

describe("races", () => {
  it("connect / disconnect / refresh / device-poll interleavings keep every invariant", async () => {
    const random = prng(424242);
    const targets: RaceTarget[] = [];
    for (let i = 0; i < 3; i++) {
      const cell = await freshWorld(`race${i}`);
      targets.push({ person: cell.person, owner: cell.owner, repo: cell.repo });
    }
    for (let r = 0; r < ROUNDS; r++) {
      const target = targets[r % targets.length]!;
      const count = 2 + Math.floor(random() * 3);
      const ops = Array.from({ length: count }, () => OPS[Math.floor(random() * OPS.length)]!);
      const hadRow = (await tokenRow(target.person.userId)) !== undefined;
      const calls = (await Promise.all(ops.map((op) => prepare(op, target)))).flat();
      const historyFrom = await lastHistoryId();
      const answers = await Promise.all(calls.map((call) => call()));
      const outcomes = answers.map((a) => {
        const x = a as { ok?: boolean; reason?: string };
        return x.ok === true ? "ok" : (x.reason ?? "?");
      });
      rounds.push({ ops, calls: calls.length, outcomes });
      const found = await checkInvariants(target, { ops, historyFrom, hadRow });
      for (const key of Object.keys(violations) as (keyof Violations)[]) violations[key].push(...found[key]);
    }
    writeFigures("races", { rounds, violations });
    expect(violations).toEqual({
      oneRowPerPerson: [],
      noValidTokenCleared: [],
      versionPlusOne: [],
      wholeRow: [],
    });
  });
});
