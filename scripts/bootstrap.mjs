#!/usr/bin/env node
/**
 * `npm start` and `npm test` on a machine that has only Node (>= 20), npm and git.
 *
 * Plain JavaScript on purpose: it runs on the machine's own Node before anything is installed (Node 20
 * cannot run the project's `.ts` scripts). It installs the dependencies when they are missing or older
 * than pnpm-lock.yaml (pnpm through npx, which then lands in node_modules/.bin as a devDependency), and
 * runs `scripts/<name>.ts` with the project's own Node 22, with node_modules/.bin first on PATH so
 * every tool the scripts start (pnpm included) is the project's, never a global one.
 *
 * Prevents: `npm test` on a fresh clone exiting 1 with nothing printed because `pnpm` is not on PATH.
 *
 *   node scripts/bootstrap.mjs <dev|test> [args...]
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { constants } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const PNPM = "pnpm@12.21.0";
const root = dirname(dirname(fileURLToPath(import.meta.url)));
const bin = join(root, "node_modules", ".bin");
const stamp = join(root, "node_modules", ".gitcred-installed");
const [name, ...args] = process.argv.slice(2);

/** One line on stderr, then the exit: a tool that cannot start says what failed and what to do. */
function fail(message) {
  process.stderr.write(`gitcred: ${message}\n`);
  process.exit(1);
}

if (name === undefined || !existsSync(join(root, "scripts", `${name}.ts`))) {
  fail(`usage: node scripts/bootstrap.mjs <dev|test> [args...] (no scripts/${name ?? "?"}.ts)`);
}
const major = Number(process.versions.node.split(".")[0]);
if (major < 20) fail(`Node ${process.version} is too old: install Node 20 or newer, then run this again.`);

function lockHash() {
  return createHash("sha256")
    .update(readFileSync(join(root, "pnpm-lock.yaml")))
    .digest("hex");
}

/** Installed, and from this lockfile: the stamp is written only after an install that succeeded. */
function installed() {
  return (
    existsSync(join(bin, "node")) &&
    existsSync(join(bin, "pnpm")) &&
    existsSync(stamp) &&
    readFileSync(stamp, "utf8").trim() === lockHash()
  );
}

if (!installed()) {
  const local = join(bin, "pnpm");
  // The project's own pnpm once it is installed; before that, the same version through npx.
  const [command, commandArgs] = existsSync(local)
    ? [local, ["install", "--frozen-lockfile"]]
    : ["npx", ["-y", PNPM, "install", "--frozen-lockfile"]];
  process.stderr.write(
    `gitcred: installing dependencies (${command === local ? "pnpm" : `npx ${PNPM}`} install)…\n`,
  );
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: "inherit" });
  if (result.error !== undefined) {
    fail(
      `could not start ${command} (${result.error.message}): npm's npx must be on PATH (it comes with Node).`,
    );
  }
  if (result.status !== 0) {
    fail(
      `installing dependencies failed (${command} exited ${result.status ?? result.signal}); the npm registry must be reachable. Fix what it printed above, then run this again.`,
    );
  }
  if (!existsSync(join(bin, "node")))
    fail("the install did not provide the project's Node 22 (node_modules/.bin/node).");
  writeFileSync(stamp, `${lockHash()}\n`);
}

const env = { ...process.env, PATH: [bin, process.env.PATH ?? ""].join(delimiter) };
const child = spawn(join(bin, "node"), [join(root, "scripts", `${name}.ts`), ...args], {
  cwd: root,
  stdio: "inherit",
  env,
});
child.on("error", (error) =>
  fail(`could not start the project's Node 22 (${error.message}): run \`npm start\` again to reinstall.`),
);
// Same process group: a Ctrl-C in the terminal reaches the child itself, so SIGINT is only waited out
// here (passing it on would make it a second Ctrl-C); a SIGTERM or SIGHUP sent to us alone is passed on.
process.on("SIGINT", () => {});
for (const signal of ["SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) =>
  process.exit(code ?? 128 + (signal === null ? 1 : (constants.signals[signal] ?? 1))),
);
