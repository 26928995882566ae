/**
 * `npm test` / `pnpm test`: the whole suite (every vitest project: workerd pools against real Postgres and
 * the GitHub simulator, plus Node-side tests with real git and real Chromium), then one closing line
 * with the counts. Extra arguments go to vitest (e.g. `pnpm test --project db`).
 *
 * The browser is looked up once here (test-support/chromium.ts) and passed to every project as
 * CHROMIUM_PATH, so the bundled one is unpacked once and every browser test uses the same one.
 *
 * `GITCRED_GUARD_DEV_PORTS=1` (CI sets it) holds the dev suite's ports (8787, 8790, 54329) for the whole
 * run and fails it if any test connects to one or could not bind because of it: tests must never touch a
 * `pnpm dev` running on the same machine.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { findChromium } from "../test-support/chromium.ts";
import { toolCommand } from "./local/tool.ts";

const DEV_PORTS = [8787, 8790, 54329];

interface PortGuard {
  touches: string[];
  close(): Promise<void>;
}

/** Listens on each dev port; every connection is a test reaching the dev suite, recorded and refused. */
async function guardDevPorts(): Promise<PortGuard> {
  const touches: string[] = [];
  const servers: Server[] = [];
  for (const port of DEV_PORTS) {
    const server = createServer((socket) => {
      const entry = touches.push(`:${port} (connected, sent nothing)`) - 1;
      socket.once("data", (data) => {
        touches[entry] = `:${port} ${data.toString("latin1").split("\r\n")[0]?.slice(0, 200) ?? ""}`;
        socket.destroy();
      });
      socket.once("error", () => {});
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", (error: NodeJS.ErrnoException) =>
        reject(
          new Error(
            error.code === "EADDRINUSE"
              ? `port ${port} is in use (a running \`pnpm dev\`?): stop it for a run with GITCRED_GUARD_DEV_PORTS=1`
              : `cannot listen on port ${port}: ${error.message}`,
          ),
        ),
      );
      server.listen(port, "127.0.0.1", resolve);
    });
    servers.push(server);
  }
  return {
    touches,
    close: () =>
      Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())))).then(
        () => undefined,
      ),
  };
}

const env: NodeJS.ProcessEnv = { ...process.env };
try {
  const browser = await findChromium();
  env.CHROMIUM_PATH = browser.path;
  console.log(`browser tests: ${browser.version} (${browser.source}: ${browser.path})`);
} catch (error) {
  console.log(`browser tests: no Chromium (${error instanceof Error ? error.message : String(error)})`);
}

let guard: PortGuard | undefined;
if (process.env.GITCRED_GUARD_DEV_PORTS === "1") {
  try {
    guard = await guardDevPorts();
    console.log(`dev ports ${DEV_PORTS.join(", ")} held for this run: a test that touches one fails it`);
  } catch (error) {
    console.error(`gitcred: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

mkdirSync("test-results", { recursive: true });
const report = "test-results/vitest.json";
rmSync(report, { force: true });
const [command, args] = toolCommand("vitest", [
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${report}`,
  ...process.argv.slice(2),
]);
const child = spawn(command, args, { stdio: "inherit", env });
const status = await new Promise<number>((resolve) => {
  child.once("error", (error) => {
    console.error(`gitcred: could not start vitest (${error.message}): run \`npm start\` once to install`);
    resolve(1);
  });
  child.once("exit", (code, signal) => resolve(code ?? (signal === null ? 1 : 130)));
});
await guard?.close();

interface JsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
}
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, "utf8")) as JsonReport;
  console.log(
    `\nvitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`,
  );
} else {
  console.log(`\nvitest: no report (vitest exited ${status} before writing ${report})`);
}
if (guard !== undefined && guard.touches.length > 0) {
  console.log(`dev ports touched by tests (${guard.touches.length}):\n  ${guard.touches.join("\n  ")}`);
  process.exit(1);
}
process.exit(status);
