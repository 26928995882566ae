/**
 * `pnpm types` regenerates each worker's Env types from its wrangler config (`wrangler types`);
 * `pnpm types:check` fails when a committed file is stale (CI runs it).
 * Secrets are typed from .dev.vars.example, so the result does not depend on anyone's local .dev.vars.
 */
import { spawnSync } from "node:child_process";
import { offlineEnv } from "./offline-env.ts";

const check = process.argv.includes("--check");
const targets: { cwd: string; configs: string[]; out: string }[] = [
  {
    cwd: ".",
    configs: ["wrangler.toml", "workers/git-token/wrangler.toml", "workers/session/wrangler.toml"],
    out: "workers/connect/worker-configuration.d.ts",
  },
  { cwd: "workers/git-token", configs: ["wrangler.toml"], out: "worker-configuration.d.ts" },
  {
    cwd: "workers/session",
    configs: ["wrangler.toml", "../git-token/wrangler.toml"],
    out: "worker-configuration.d.ts",
  },
];

let failed = false;
for (const t of targets) {
  const envFile = t.cwd === "." ? ".dev.vars.example" : "../../.dev.vars.example";
  const args = ["exec", "wrangler", "types", t.out, ...t.configs.flatMap((c) => ["-c", c])];
  args.push("--include-runtime=false", "--strict-vars=false", "--env-file", envFile);
  if (check) args.push("--check");
  const result = spawnSync("pnpm", args, {
    cwd: t.cwd,
    stdio: "inherit",
    env: { ...process.env, ...offlineEnv },
  });
  if (result.status !== 0) {
    failed = true;
    console.error(`${check ? "stale" : "failed"}: ${t.cwd}/${t.out}${check ? " (run `pnpm types`)" : ""}`);
  }
}
process.exit(failed ? 1 : 0);
