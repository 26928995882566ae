/**
 * Vitest globalSetup for projects that reach other workers over service bindings: bundles those workers
 * (`wrangler deploy --dry-run`, no network) so Miniflare can load them as auxiliary workers.
 */
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const offline = {
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
  DO_NOT_TRACK: "1",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
};

/** Where a worker's wrangler config lives (connect's is the root wrangler.toml). */
export function workerConfigPath(name: string): string {
  return name === "connect" ? join(root, "wrangler.toml") : join(root, "workers", name, "wrangler.toml");
}

export function buildWorker(name: string): void {
  const outdir = join(root, "workers", name, "dist");
  const args = ["exec", "wrangler", "deploy", "--dry-run", "-c", workerConfigPath(name), "--outdir", outdir];
  const result = spawnSync("pnpm", args, {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, ...offline, WRANGLER_LOG: "warn" },
  });
  if (result.status !== 0) throw new Error(`building ${name} failed:\n${result.stdout}\n${result.stderr}`);
}

export default function setup(): void {
  for (const name of (process.env.GITCRED_BUILD_WORKERS ?? "git-token,session").split(",")) buildWorker(name);
}
