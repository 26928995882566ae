/**
 * P2, P3 and P4 on one suite of the workers as deployed (production bundles), with the measuring worker,
 * on a fresh database and simulator. Each figure gets its own people, so no cache is shared between them.
 */
import { cpus } from "node:os";
import { callRpc } from "../../test-support/platform-worker.ts";
import { buildBundles } from "./build.ts";
import { postmasterOf, workerdChildren } from "./cpu.ts";
import { startInfra } from "./infra.ts";
import { type P2Result, runP2 } from "./p2-latency.ts";
import { type P3Result, runP3 } from "./p3-storm.ts";
import { type P4Result, runP4 } from "./p4-throughput.ts";
import { errorLines, startBenchSuite } from "./suite-for-bench.ts";
import { claimWorld, connectPerson, seedWorld } from "./world.ts";

export interface ProductionPhase {
  p2: P2Result;
  p3: P3Result;
  p4: P4Result;
  server: string;
  errorLogLines: string[];
}

/** P2, P3 and P4 on one suite of production bundles; everything is stopped afterwards. */
export async function runProductionPhase(log: (line: string) => void): Promise<ProductionPhase> {
  const bundles = buildBundles("bench", { warp: false });
  const infra = await startInfra("bench");
  const simulatorPids = workerdChildren();
  const suite = await startBenchSuite(infra, bundles, { warp: false });
  try {
    const suitePids = workerdChildren().filter((pid) => !simulatorPids.includes(pid));
    const { rows } = await infra.sql.query<{ pid: number }>("select pg_backend_pid() as pid");
    const postmaster = infra.postgres.engine === "postgresql" ? postmasterOf(rows[0]!.pid) : undefined;
    const world = await seedWorld(infra.admin, infra.app.numericId, {
      tag: "bench",
      people: 27,
      orgs: 2,
      reposPerOrg: 5,
      role: () => "write",
    });
    await claimWorld(infra.sql, world);
    for (const person of world.people) await connectPerson(suite, infra.sim.url, infra.app.clientId, person);
    const [org] = world.orgs;
    const owner = org!.login;
    const repo = org!.repos[0]!;
    const p2Person = world.people[0]!;
    const prepared = await callRpc<{ ok: boolean; reason?: string }>(
      suite.platformUrl,
      "SESSION",
      "prepareSession",
      {
        sessionId: "p2-session",
        userId: p2Person.userId,
        tenantId: world.tenantId,
        owner,
        repo,
        mode: "now",
      },
    );
    if (!prepared.ok) throw new Error(`preparing the P2 session failed: ${prepared.reason}`);

    log("P2: warm latency…");
    const p2 = await runP2(
      suite.mf,
      { userId: p2Person.userId, tenantId: world.tenantId, owner, repo, sessionId: "p2-session" },
      // 1,024 calls a sample: a warm call is ~0.03 ms, so a 64-call sample (≈ 2 ms) read in whole ms is
      // quantized by half the floor itself; 1,024 calls (≈ 30 ms) put the tick at ~3 %.
      { rounds: 5, samplesPerRound: 20, batch: 1024 },
    );
    log("P3: refresh storm…");
    const p3 = await runP3(
      suite.mf,
      infra,
      infra.admin,
      { stormPerson: world.people[1]!, singlePeople: world.people.slice(2, 7), owner, repo },
      { callers: 200, refreshLatencyMs: 200 },
    );
    log("P4: throughput…");
    const p4 = await runP4(
      suite.mf,
      infra,
      {
        people: world.people.slice(7),
        tenantId: world.tenantId,
        repos: world.orgs.flatMap((o) => o.repos.map((name) => ({ owner: o.login, repo: name }))),
      },
      {
        levels: [
          { concurrency: 1, preparations: 40 },
          { concurrency: 8, preparations: 160 },
          { concurrency: 32, preparations: 320 },
          // Five pairs at the level the goal reads, so one noisy pair cannot decide it (p4Ratio).
          { concurrency: 128, preparations: 512, rounds: 5 },
        ],
        cpu: {
          groups: {
            "workerd (gitcred)": { pids: suitePids, withChildren: false },
            "workerd (simulator)": { pids: simulatorPids, withChildren: false },
          },
          ...(postmaster === undefined
            ? {}
            : { postmaster, database: new URL(infra.postgres.databaseUrl).pathname.slice(1) }),
        },
        cores: cpus().length,
      },
    );
    return { p2, p3, p4, server: infra.server, errorLogLines: errorLines(suite.logs) };
  } finally {
    await suite.close();
    await infra.close();
  }
}
