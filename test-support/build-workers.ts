/**
 * Vitest globalSetup for projects that reach other workers over service bindings: bundles those workers
 * (`wrangler deploy --dry-run`, no network) so Miniflare can load them as auxiliary workers.
 */
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { toolCommand } from "../scripts/local/tool.ts";

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

/**
 * Bundles one worker as its wrangler config says, into `outdir/index.js`. `entry` replaces the config's
 * `main` (the benchmark bundles a worker behind a thin entry that adds a controllable clock) while the
 * bindings, compatibility settings and build rules stay the config's.
 */
export function bundleWorker(options: { configPath: string; outdir: string; entry?: string }): void {
  const wranglerArgs = ["deploy", "--dry-run", "-c", options.configPath];
  if (options.entry !== undefined) wranglerArgs.push(options.entry);
  wranglerArgs.push("--outdir", options.outdir);
  const [command, args] = toolCommand("wrangler", wranglerArgs);
  const result = spawnSync(command, args, {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, ...offline, WRANGLER_LOG: "warn" },
  });
  if (result.status !== 0) {
    throw new Error(`building ${options.configPath} failed:\n${result.stdout}\n${result.stderr}`);
  }
}

/** Bundles `workers/<name>` (connect: the root config) into `outdir` (default: its `dist/`, as deployed). */
export function buildWorker(name: string, outdir = join(root, "workers", name, "dist")): void {
  bundleWorker({ configPath: workerConfigPath(name), outdir });
}

/**
 * A build directory private to one test project: vitest may run projects' global setups at the same
 * time, and two builds writing one `dist/` while a third Miniflare loads it would race.
 */
export function testBuildDir(project: string, name: string): string {
  return join(root, ".wrangler", "test-builds", project, name);
}

/** The connect project's setup: git-token and session, in its own build directories. */
export default function setup(): void {
  for (const name of ["git-token", "session"]) buildWorker(name, testBuildDir("connect", name));
}
