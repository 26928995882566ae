/**
 * `pnpm bench:profile`: CPU profiles of P2's warm calls inside workerd, so a missed P2 is explained by
 * where git-token's and the session worker's JavaScript spends its time rather than by bisecting. The
 * suite runs as `pnpm bench` runs it (production bundles) with workerd's inspector open; each warm call
 * is profiled in the isolate that serves it, and the summaries (by function: inclusive and self
 * milliseconds) go to bench/results/profile.txt. Profiling roughly doubles a call's time: read the
 * shares, not the milliseconds. `pnpm bench` never opens the inspector.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { callRpc } from "../test-support/platform-worker.ts";
import { callBench } from "./lib/bench-worker.ts";
import { buildBundles, root } from "./lib/build.ts";
import { startInfra } from "./lib/infra.ts";
import { formatProfiles, startProfiling } from "./lib/profile.ts";
import { startBenchSuite } from "./lib/suite-for-bench.ts";
import { claimWorld, connectPerson, seedWorld } from "./lib/world.ts";

const INSPECTOR_PORT = Number(process.env.GITCRED_INSPECTOR_PORT ?? 9329);
const BATCH = 1024;
const SAMPLES = 20;

const bundles = buildBundles("bench", { warp: false });
const infra = await startInfra("bench");
const suite = await startBenchSuite(infra, bundles, { warp: false, inspectorPort: INSPECTOR_PORT });
const out: string[] = [];
try {
  const world = await seedWorld(infra.admin, infra.app.numericId, {
    tag: "profile",
    people: 1,
    orgs: 1,
    reposPerOrg: 1,
    role: () => "write",
  });
  await claimWorld(infra.sql, world);
  const person = world.people[0]!;
  await connectPerson(suite, infra.sim.url, infra.app.clientId, person);
  const owner = world.orgs[0]!.login;
  const repo = world.orgs[0]!.repos[0]!;
  const prepared = await callRpc<{ ok: boolean; reason?: string }>(
    suite.platformUrl,
    "SESSION",
    "prepareSession",
    {
      sessionId: "profile-session",
      userId: person.userId,
      tenantId: world.tenantId,
      owner,
      repo,
      mode: "now",
    },
  );
  if (!prepared.ok) throw new Error(`preparing the profiled session failed: ${prepared.reason}`);
  const ask = { userId: person.userId, tenantId: world.tenantId, owner, repo, access: "write" };
  const session = { sessionId: "profile-session", userId: person.userId };
  const ops: { name: string; isolate: string; spec: Record<string, unknown> }[] = [
    {
      name: "ping (GIT_TOKEN)",
      isolate: "gitcred-git-token",
      spec: { op: "ping", binding: "GIT_TOKEN", input: ask },
    },
    {
      name: "getTokenForRepo (person)",
      isolate: "gitcred-git-token",
      spec: { op: "getTokenForRepo", input: ask },
    },
    {
      name: "getTokenForRepo (App)",
      isolate: "gitcred-git-token",
      spec: { op: "getTokenForRepo", input: { ...ask, userId: undefined, prefer: "app" } },
    },
    {
      name: "ping (SESSION)",
      isolate: "gitcred-session",
      spec: { op: "ping", binding: "SESSION", input: session },
    },
    {
      name: "getGitCredentials",
      isolate: "gitcred-session",
      spec: { op: "getGitCredentials", input: session },
    },
  ];
  // Warm-up: memos filled, code optimized; not profiled.
  for (const { spec } of ops) await callBench(suite.mf, "latency", { ...spec, samples: 5, batch: BATCH });
  for (const { name, isolate, spec } of ops) {
    const stop = await startProfiling(INSPECTOR_PORT, { intervalUs: 50, top: 40, only: isolate });
    const answer = await callBench<{ samplesMs: number[] }>(suite.mf, "latency", {
      ...spec,
      samples: SAMPLES,
      batch: BATCH,
    });
    const profiles = await stop();
    const sorted = [...answer.samplesMs].sort((a, b) => a - b);
    const p50 = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
    out.push(`# ${name}: ${SAMPLES * BATCH} calls, p50 ${p50.toFixed(4)} ms a call while profiled\n`);
    out.push(formatProfiles(profiles), "");
    console.log(`profiled ${name}`);
  }
} finally {
  await suite.close();
  await infra.close();
}
const path = join(root, "bench", "results", "profile.txt");
writeFileSync(path, `${out.join("\n")}\n`);
console.log(`wrote ${path}`);
