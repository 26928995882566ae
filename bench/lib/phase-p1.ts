/**
 * The P1 phase: its own database, simulator and suite (time-warp builds), so nothing another phase did
 * is counted. The App's webhooks go to the suite's connect worker, as in production: installation
 * events fill the installations table before the run, and the two revocations reach git-token.
 */
import { freePort } from "../../test-support/free-port.ts";
import { callBench } from "./bench-worker.ts";
import { buildBundles } from "./build.ts";
import { type Infra, startInfra } from "./infra.ts";
import { type P1Result, runP1 } from "./p1-run.ts";
import { canPush, makeSchedule, P1_SHAPE, type P1Shape } from "./p1-schedule.ts";
import type { BillOps } from "./p5-scale.ts";
import { errorLines, startBenchSuite } from "./suite-for-bench.ts";
import { enableKvClockControl, WarpClock } from "./warp.ts";
import { claimWorld, connectPerson, seedWorld } from "./world.ts";

export interface P1Phase {
  result: P1Result;
  /** What the replay cost, as a bill counts it (P5). */
  bill: BillOps;
  server: string;
  errorLogLines: string[];
}

async function installationsKnown(infra: Infra, expected: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await infra.sql.query<{ n: string }>("select count(*) as n from github_installations");
    if (Number(rows[0]?.n) >= expected) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("installation webhooks did not reach the installations table");
}

/** Postgres transactions so far (null where the engine keeps no statistics, e.g. PGlite). */
async function postgresTransactions(infra: Infra): Promise<number | null> {
  // Backends flush their statistics when they end or about once a second: let the last ones land.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const { rows } = await infra.sql
    .query<{ n: string | null }>(
      "select xact_commit + xact_rollback as n from pg_stat_database where datname = current_database()",
    )
    .catch(() => ({ rows: [] as { n: string | null }[] }));
  return rows[0]?.n === undefined || rows[0].n === null ? null : Number(rows[0].n);
}

/** P1 (or its × k shape, P5) on its own infrastructure and time-warp suite; everything is stopped after. */
export async function runP1Phase(log: (line: string) => void, shape: P1Shape = P1_SHAPE): Promise<P1Phase> {
  const schedule = makeSchedule(shape);
  const port = await freePort();
  const bundles = buildBundles("bench-warp", { warp: true });
  const infra = await startInfra("p1", { webhookUrl: `http://127.0.0.1:${port}/github/webhooks` });
  enableKvClockControl();
  const suite = await startBenchSuite(infra, bundles, { warp: true, port });
  try {
    const clock = new WarpClock(suite.mf, infra.admin, ["TOKEN_CACHE", "PAGE_SESSIONS", "BENCH_KV"]);
    await clock.start();
    const world = await seedWorld(infra.admin, infra.app.numericId, {
      tag: "p1",
      people: shape.people,
      orgs: shape.orgs,
      reposPerOrg: shape.reposPerOrg,
      role: (p, o, r) => (canPush(shape, p, o, r) ? "write" : null),
    });
    await installationsKnown(infra, shape.orgs);
    await claimWorld(infra.sql, world);
    for (const person of world.people.slice(0, shape.connected)) {
      await connectPerson(suite, infra.sim.url, infra.app.clientId, person);
    }
    log(`P1: ${schedule.sessions.length} sessions over ${shape.minutes / 60} simulated hours…`);
    await callBench(suite.mf, "counts", { reset: true });
    const queriesBefore = await postgresTransactions(infra);
    const connectionsBefore = infra.postgres.proxy.stats().opened;
    const result = await runP1({
      schedule,
      world,
      admin: infra.admin,
      appId: infra.app.numericId,
      platformUrl: suite.platformUrl,
      clock,
    });
    const counted = await callBench<Omit<BillOps, "postgresQueries" | "postgresConnections" | "githubCalls">>(
      suite.mf,
      "counts",
      { reset: false },
    );
    const queriesAfter = await postgresTransactions(infra);
    const bill: BillOps = {
      ...counted,
      postgresQueries: queriesBefore === null || queriesAfter === null ? null : queriesAfter - queriesBefore,
      postgresConnections: infra.postgres.proxy.stats().opened - connectionsBefore,
      githubCalls: result.actualTotal,
    };
    await clock.stop();
    return { result, bill, server: infra.server, errorLogLines: errorLines(suite.logs) };
  } finally {
    await suite.close();
    await infra.close();
  }
}
