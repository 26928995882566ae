/** `pnpm typecheck`: every TypeScript project (worker-side and Node-side configs differ in their globals). */
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";

const projects = [
  "tsconfig.node.json",
  "packages/utils",
  "packages/db",
  "packages/github",
  "packages/client",
  "packages/github-sim",
  "packages/github-sim/tsconfig.node.json",
  "packages/git-credential",
  "workers/git-token",
  "workers/git-token/tsconfig.node.json",
  "workers/session",
  "workers/connect",
  "bench/worker",
].filter((p) => existsSync(p) && hasSources(p.endsWith(".json") ? dirname(p) : p));

/** A package that has no TypeScript yet has nothing to check (tsc would fail on "no inputs"). */
function hasSources(dir: string): boolean {
  return ["src", "local", "scripts", "node-test"].some(
    (sub) =>
      existsSync(join(dir, sub)) &&
      readdirSync(join(dir, sub), { recursive: true }).some((f) => String(f).endsWith(".ts")),
  );
}

function run(project: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn("pnpm", ["exec", "tsc", "--noEmit", "-p", project], { stdio: "inherit" });
    child.on("exit", (code) => {
      if (code !== 0) console.error(`typecheck failed: ${project}`);
      resolve(code === 0);
    });
  });
}

// Two at a time: the machines have two cores.
const results: boolean[] = [];
const queue = [...projects];
await Promise.all(
  [0, 1].map(async () => {
    for (let p = queue.shift(); p !== undefined; p = queue.shift()) results.push(await run(p));
  }),
);
process.exit(results.every(Boolean) ? 0 : 1);
