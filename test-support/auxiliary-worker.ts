/**
 * Workers a test project reaches over service bindings run as Miniflare "auxiliary" workers: compiled JS
 * (built by build-workers.ts in globalSetup) with the bindings their own wrangler config declares, so the
 * tests exercise the same wiring as `wrangler dev` and production.
 */
import { join, resolve } from "node:path";
import type { cloudflareTest } from "@cloudflare/vitest-plugin";
import { unstable_getMiniflareWorkerOptions, unstable_readConfig } from "wrangler";
import { workerConfigPath } from "./build-workers.ts";

type PoolOptions = Exclude<Parameters<typeof cloudflareTest>[0], (...args: never[]) => unknown>;
type WorkerOptions = NonNullable<NonNullable<NonNullable<PoolOptions>["miniflare"]>["workers"]>[number];

const root = resolve(import.meta.dirname, "..");

export type AuxiliaryWorkerName = "git-token" | "session" | "connect";

/**
 * `builtDir` is where the bundle (`index.js`) is; by default the worker's own `dist/`. The benchmark
 * passes another build of the same worker (its time-warp variant) so the wiring stays the config's.
 */
export function auxiliaryWorker(
  name: AuxiliaryWorkerName,
  bindings: Record<string, string>,
  builtDir?: string,
): WorkerOptions {
  const configPath = workerConfigPath(name);
  const config = unstable_readConfig({ config: configPath });
  const { workerOptions } = unstable_getMiniflareWorkerOptions(configPath);
  const built = builtDir ?? join(root, "workers", name, "dist");
  // Only the config's own [vars] plus what the test passes: a developer's .dev.vars must not leak in.
  const vars = Object.fromEntries(Object.entries(config.vars).map(([k, v]) => [k, String(v)]));
  return {
    name: config.name,
    compatibilityDate: workerOptions.compatibilityDate,
    compatibilityFlags: workerOptions.compatibilityFlags,
    kvNamespaces: workerOptions.kvNamespaces,
    durableObjects: workerOptions.durableObjects,
    serviceBindings: workerOptions.serviceBindings,
    modules: true,
    scriptPath: join(built, "index.js"),
    modulesRoot: built,
    bindings: { ...vars, ...bindings },
  } as WorkerOptions;
}
