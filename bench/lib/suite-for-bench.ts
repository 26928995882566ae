/**
 * Starts the suite (test-support/suite.ts, the wiring `pnpm dev` uses) on the benchmark's own bundles,
 * with the measuring worker added, and collects the workers' log lines instead of printing them (the
 * report counts the errors among them).
 */
import type { RunningSuite } from "../../test-support/suite.ts";
import { startSuite } from "../../test-support/suite.ts";
import { benchWorkerOptions } from "./bench-worker.ts";
import type { Bundles } from "./build.ts";
import type { Infra } from "./infra.ts";

export interface BenchSuite extends RunningSuite {
  /** Every structured log line the workers wrote. */
  logs: string[];
}

/** The suite on `bundles` plus the measuring worker; log lines are collected, not printed. */
export async function startBenchSuite(
  infra: Infra,
  bundles: Bundles,
  options: { warp: boolean; port?: number; persistDir?: string; inspectorPort?: number },
): Promise<BenchSuite> {
  const logs: string[] = [];
  const suite = await startSuite({
    databaseUrl: infra.postgres.databaseUrl,
    dbWsProxy: infra.postgres.wsProxy,
    simUrl: infra.sim.url,
    app: infra.app,
    tokenEncryptionKeys: infra.tokenEncryptionKeys,
    webhookSecret: infra.webhookSecret,
    builds: bundles.workers,
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.persistDir === undefined ? {} : { persistDir: options.persistDir }),
    ...(options.inspectorPort === undefined ? {} : { inspectorPort: options.inspectorPort }),
    extraWorkers: [
      benchWorkerOptions({
        builtDir: bundles.benchWorker,
        databaseUrl: infra.postgres.databaseUrl,
        dbWsProxy: infra.postgres.wsProxy,
        warp: options.warp,
      }),
    ],
    onLog: (line) => {
      if (logs.length < 200_000) logs.push(line);
    },
  });
  return { ...suite, logs };
}

/** Log lines at level error (the report counts them; none is expected in a clean run). */
export function errorLines(logs: readonly string[]): string[] {
  return logs.filter((line) => /"level":"error"/.test(line));
}
