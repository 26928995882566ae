/**
 * The P1 phase: its own database, simulator and suite (time-warp builds), so nothing another phase did
 * is counted. The App's webhooks go to the suite's connect worker, as in production: installation
 * events fill the installations table before the run, and the two revocations reach git-token.
 */
import { freePort } from "../../test-support/free-port.ts";
import { buildBundles } from "./build.ts";
import { type Infra, startInfra } from "./infra.ts";
import { type P1Result, runP1 } from "./p1-run.ts";
import { canPush, makeSchedule } from "./p1-schedule.ts";
import { errorLines, startBenchSuite } from "./suite-for-bench.ts";
import { enableKvClockControl, WarpClock } from "./warp.ts";
import { claimWorld, connectPerson, seedWorld } from "./world.ts";

export interface P1Phase {
  result: P1Result;
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

/** P1 on its own infrastructure and time-warp suite; everything is stopped afterwards. */
export async function runP1Phase(log: (line: string) => void): Promise<P1Phase> {
  const schedule = makeSchedule();
  const { shape } = schedule;
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
    const result = await runP1({
      schedule,
      world,
      admin: infra.admin,
      appId: infra.app.numericId,
      platformUrl: suite.platformUrl,
      clock,
    });
    await clock.stop();
    return { result, server: infra.server, errorLogLines: errorLines(suite.logs) };
  } finally {
    await suite.close();
    await infra.close();
  }
}
