/**
 * Vitest globalSetup of the reliability run: bundles the workers as deployed, starts a private
 * PostgreSQL (restartable: nobody else uses it), the GitHub simulator with a fresh App (webhooks to the
 * suite's connect worker), the suite with the measuring worker and on-disk KV/Durable Object state (the
 * canary scan reads it), and the control server. When the run ends it writes docs/RELIABILITY.md from
 * the figures the test files recorded, then stops everything.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { createSimAdmin } from "../../../packages/github-sim/local/index.ts";
import { freePort } from "../../../test-support/free-port.ts";
import { buildBundles } from "../../lib/build.ts";
import { formatDocs } from "../../lib/format-docs.ts";
import { startInfra } from "../../lib/infra.ts";
import { startBenchSuite } from "../../lib/suite-for-bench.ts";
import { startControlServer } from "./control-server.ts";
import { readFigures } from "./figures.ts";
import { outDir, reportPath } from "./paths.ts";
import { renderReliabilityReport } from "./report.ts";

export interface HarnessInfo {
  controlUrl: string;
  publicUrl: string;
  platformUrl: string;
  simUrl: string;
  databaseUrl: string;
  appId: number;
  appSlug: string;
  clientId: string;
  clientSecret: string;
  privateKeyPem: string;
  webhookSecret: string;
  tokenEncryptionKeys: string;
  persistDir: string;
  server: string;
  restartable: boolean;
}

declare module "vitest" {
  export interface ProvidedContext {
    harness: HarnessInfo;
  }
}

/** Starts everything, provides the coordinates; the returned teardown writes the report. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = performance.now();
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const bundles = buildBundles("reliability", { warp: false });
  const port = await freePort();
  const infra = await startInfra("reliability", { webhookUrl: `http://127.0.0.1:${port}/github/webhooks` });
  // Every other installation token of the run is GitHub's stateless ~520-character `ghs_<appid>_<JWT>`
  // (#15 §4), as during GitHub's rollout: every scenario meets both formats, the canary scan seeks both.
  await createSimAdmin(infra.sim.url).setTokenFormat("rollout");
  const persistDir = mkdtempSync(join(tmpdir(), "gitcred-reliability-"));
  const suite = await startBenchSuite(infra, bundles, { warp: false, port, persistDir });
  const control = await startControlServer({
    mf: suite.mf,
    proxy: infra.postgres.proxy,
    server: infra.privateServer,
    logs: suite.logs,
  });
  const info: HarnessInfo = {
    controlUrl: control.url,
    publicUrl: suite.publicUrl,
    platformUrl: suite.platformUrl,
    simUrl: infra.sim.url,
    databaseUrl: infra.postgres.databaseUrl,
    appId: infra.app.numericId,
    appSlug: infra.app.slug,
    clientId: infra.app.clientId,
    clientSecret: infra.app.clientSecret,
    privateKeyPem: infra.app.privateKeyPem,
    webhookSecret: infra.webhookSecret,
    tokenEncryptionKeys: infra.tokenEncryptionKeys,
    persistDir,
    server: infra.server,
    restartable: infra.privateServer !== undefined,
  };
  project.provide("harness", info);
  console.log(`reliability harness ready in ${Math.round(performance.now() - started)} ms (${infra.server})`);
  return async () => {
    writeFileSync(
      reportPath,
      renderReliabilityReport(readFigures(), {
        server: infra.server,
        minutes: (performance.now() - started) / 60_000,
      }),
    );
    formatDocs([reportPath]);
    writeFileSync(join(outDir, "worker-logs.jsonl"), `${suite.logs.join("\n")}\n`);
    await control.close();
    await suite.close();
    await infra.close();
    rmSync(persistDir, { recursive: true, force: true });
  };
}
