/**
 * `pnpm typecheck`: every TypeScript project (worker-side and Node-side configs differ in their globals),
 * as one TypeScript build (`tsc -b`, project references). Each worker-side package and worker is two
 * programs: `tsconfig.json` is production (src without its tests, and no test-only types such as
 * `@cloudflare/vitest-plugin/types` or a test's env.d.ts, so production code cannot lean on them), and
 * `tsconfig.test.json` holds the tests. The production programs are composite: each is checked once, and
 * its tests and the workers that reference it read its declarations instead of re-checking its sources. Declarations and .tsbuildinfo files go to
 * node_modules/.cache/tsc, so a second run re-checks only what changed. `pnpm typecheck --force` ignores
 * that cache; removing the directory gives a clean run (what CI does). Extra arguments go to `tsc -b`
 * (`--verbose`, `--force`, `--extendedDiagnostics`).
 *
 * One process: the projects share the parsed lib and package declarations, and on two cores a second
 * `tsc -b` in parallel was no faster (one tsc already keeps about 1.5 cores busy). tsc is run with this
 * Node and typescript's own bin, so pnpm need not be on PATH.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve, sep } from "node:path";

const started = performance.now();

const projects = [
  "tsconfig.node.json",
  "packages/utils",
  "packages/utils/tsconfig.test.json",
  "packages/db",
  "packages/db/tsconfig.test.json",
  "packages/github",
  "packages/github/tsconfig.test.json",
  "packages/client",
  "packages/github-sim",
  "packages/github-sim/tsconfig.node.json",
  "packages/git-credential",
  "workers/git-token",
  "workers/git-token/tsconfig.test.json",
  "workers/git-token/tsconfig.node.json",
  "workers/session",
  "workers/session/tsconfig.test.json",
  "workers/connect",
  "workers/connect/tsconfig.test.json",
  "bench/worker",
];

// A project that moved or lost its sources must fail the check, not drop out of it silently.
const missing = projects.filter((p) => !existsSync(p.endsWith(".json") ? p : join(p, "tsconfig.json")));
const empty = projects.filter(
  (p) => !missing.includes(p) && !hasSources(p.endsWith(".json") ? dirname(p) : p),
);
if (missing.length > 0 || empty.length > 0) {
  for (const p of missing) console.error(`typecheck: no such project: ${p} (update scripts/typecheck.ts)`);
  for (const p of empty) console.error(`typecheck: project has no TypeScript sources: ${p}`);
  process.exit(1);
}

/** Whether a project has TypeScript to check (tsc would fail on "no inputs" otherwise). */
function hasSources(dir: string): boolean {
  return ["src", "local", "scripts", "node-test"].some(
    (sub) =>
      existsSync(join(dir, sub)) &&
      readdirSync(join(dir, sub), { recursive: true }).some((f) => String(f).endsWith(".ts")),
  );
}

const cache = resolve("node_modules/.cache/tsc");
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * tsc -b decides a project is up to date from its own (included) files, its configs and its references:
 * it does not look at the other files its program read. Two kinds of those can change under a cache:
 * - installed packages and the workspace's package.json files (exports): the whole cache is dropped
 *   when they change;
 * - source files a project imports from outside its `include` (test-support/workerd, github-sim/local,
 *   db/local, ...): a project whose .tsbuildinfo lists such a file with other contents (or a missing
 *   one) loses its .tsbuildinfo, so tsc checks it again.
 */
function dropStaleCache(): void {
  const installed = ["node_modules/.pnpm/lock.yaml", "pnpm-lock.yaml"].find((f) => existsSync(f));
  const manifests = ["package.json"];
  for (const parent of ["packages", "workers"]) {
    for (const name of existsSync(parent) ? readdirSync(parent) : []) {
      if (existsSync(join(parent, name, "package.json"))) manifests.push(join(parent, name, "package.json"));
    }
  }
  const inputs = installed ? [installed, ...manifests] : manifests;
  const stamp = sha256(
    ["typecheck cache v1", ...inputs.map((f) => `${f}\n${readFileSync(f, "utf8")}`)].join("\0"),
  );
  const stampFile = join(cache, "stamp");
  if (!existsSync(stampFile) || readFileSync(stampFile, "utf8") !== stamp) {
    rmSync(cache, { recursive: true, force: true });
    mkdirSync(cache, { recursive: true });
    writeFileSync(stampFile, stamp);
    return;
  }
  for (const entry of readdirSync(cache, { recursive: true })) {
    const buildInfo = join(cache, String(entry));
    if (buildInfo.endsWith(".tsbuildinfo") && !importsUnchanged(buildInfo)) rmSync(buildInfo);
  }
}

/** Whether every non-root source file the build recorded still has the contents it was checked with. */
function importsUnchanged(buildInfo: string): boolean {
  try {
    const info = JSON.parse(readFileSync(buildInfo, "utf8")) as {
      fileNames?: string[];
      fileInfos?: (string | { version: string })[];
      root?: (number | [number, number])[];
    };
    if (!info.fileNames || !info.fileInfos || !info.root) return false;
    const roots = new Set<number>(); // file ids, from 1
    for (const r of info.root) {
      if (typeof r === "number") roots.add(r);
      else for (let id = r[0]; id <= r[1]; id++) roots.add(id);
    }
    return info.fileNames.every((name, index) => {
      const file = resolve(dirname(buildInfo), name);
      if (roots.has(index + 1) || file.split(sep).includes("node_modules")) return true;
      if (!existsSync(file)) return false;
      const recorded = info.fileInfos?.[index];
      const version = typeof recorded === "string" ? recorded : recorded?.version;
      return version === sha256(readFileSync(file, "utf8").replace(/^\uFEFF/, ""));
    });
  } catch {
    return false;
  }
}

dropStaleCache();

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
// A larger young generation: fewer scavenges for tsc's many short-lived objects (about 10% faster here).
const node = ["--max-semi-space-size=128"];

const code = await new Promise<number>((done) => {
  const child = spawn(process.execPath, [...node, tsc, "-b", ...process.argv.slice(2), ...projects], {
    stdio: "inherit",
  });
  child.on("error", (error) => {
    console.error(`typecheck: could not run ${tsc}: ${error.message}`);
    done(1);
  });
  child.on("exit", (exitCode) => done(exitCode ?? 1));
});

const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (code === 0) {
  console.log(`typecheck: ${projects.length} projects in ${seconds} s`);
} else {
  console.error(`typecheck failed (tsc -b exited with ${code}): ${projects.length} projects in ${seconds} s`);
}
process.exit(code === 0 ? 0 : 1);
