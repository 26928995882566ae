#!/usr/bin/env node
/**
 * CI check of the README's first command, as a new user runs it: `npm start` on a fresh clone (it
 * installs everything, then starts the suite), until GET /healthz answers 200 with every worker healthy;
 * every address it prints answers; secret-bearing URLs (a settings link's `?s=`, the OAuth callback's
 * `?code=&state=`) leave no trace in what the local runtime persists (its trace store included); then
 * Ctrl-C, after which no process of it is left.
 *
 * Plain JavaScript so it runs on the machine's own Node before anything is installed.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const HEALTH = "http://127.0.0.1:8787/healthz";
const started = Date.now();
const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// `script` gives `npm start` a real terminal, so the Ctrl-C below travels the way a person's does: the
// terminal turns ^C into SIGINT for its foreground process group.
const child = spawn("script", ["-qfec", "npm start", "/dev/null"], { stdio: ["pipe", "pipe", "pipe"] });
let output = "";
child.stdout.on("data", (d) => {
  output += d;
});
child.stderr.on("data", (d) => {
  output += d;
});
const exited = new Promise((resolve) => child.once("exit", () => resolve(true)));

/** Reports the failure with the suite's last output, and stops the suite the way a person would. */
async function fail(message) {
  process.stdout.write(`${output.slice(-6000)}\nstart smoke: ${message}\n`);
  if (child.exitCode === null) {
    child.stdin.write("\x03");
    if (!(await Promise.race([exited, sleep(30_000).then(() => false)]))) child.kill("SIGKILL");
  }
  process.exit(1);
}

let status = 0;
let body = "";
const deadline = Date.now() + 600_000;
while (Date.now() < deadline && child.exitCode === null) {
  const res = await fetch(HEALTH).catch(() => undefined);
  if (res !== undefined) {
    status = res.status;
    body = await res.text();
    if (status === 200) break;
  }
  await sleep(1000);
}
console.log(`start smoke: /healthz -> ${status} ${body} after ${elapsed()}`);
if (status !== 200)
  await fail(child.exitCode === null ? "the suite never became healthy" : "npm start exited");

// Every address the suite printed must answer (a printed URL that 404s is the first thing a newcomer
// clicks). The ready banner comes after the first healthy answer: wait for it.
while (!output.includes("Ctrl-C stops everything") && child.exitCode === null && Date.now() < deadline) {
  await sleep(200);
}
// Colours (ESC [ ... m) out first; a printed template such as .../sessions/{sessionId}/credentials is
// not an address to open.
const plain = output.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, "g"), "");
const printed = [...new Set(plain.match(/http:\/\/127\.0\.0\.1:\d+[^\s)"']*/g) ?? [])].filter(
  (url) => !url.includes("{"),
);
for (const url of printed) {
  const res = await fetch(url, { redirect: "manual" }).catch((error) => error);
  const answer = res instanceof Response ? res.status : `no answer (${res.message})`;
  console.log(`start smoke: printed ${url} -> ${answer}`);
  if (!(res instanceof Response) || res.status >= 400) await fail(`printed address ${url} does not answer`);
}

// Secret-bearing query strings, as a person's browser and GitHub send them. The runtime's invocation
// traces record the full request URL; wrangler dev keeps them in a local trace store under
// .data/wrangler (X_LOCAL_OBSERVABILITY). Each canary must be found nowhere on disk once the suite stops.
const canaries = ["s", "code", "state"].map((name) => ({
  name,
  value: `canary${randomBytes(12).toString("hex")}`,
}));
const byName = Object.fromEntries(canaries.map((c) => [c.name, c.value]));
for (const path of [
  `/settings?s=${byName.s}`,
  `/github/callback?code=${byName.code}&state=${byName.state}`,
]) {
  const res = await fetch(`http://127.0.0.1:8787${path}`, { redirect: "manual" }).catch((error) => error);
  if (!(res instanceof Response)) await fail(`${path.split("?")[0]} gave no answer (${res.message})`);
}

const upAfter = elapsed();
const stopAt = Date.now();
child.stdin.write("\x03");
const stopped = await Promise.race([exited, sleep(30_000).then(() => false)]);
await sleep(1000);
const ours = "scripts/dev.ts|--persist-to .data/wrangler|scripts/bootstrap.mjs";
const leftovers = spawnSync("pgrep", ["-fa", ours], { encoding: "utf8" }).stdout.trim();
if (!stopped) await fail("npm start did not exit within 30 s of Ctrl-C");
if (leftovers !== "") await fail(`processes left behind after Ctrl-C:\n${leftovers}`);

/** Every file under `dir` (the suite's persisted state: KV, Durable Objects, the trace store). */
function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? files(path) : entry.isFile() ? [path] : [];
  });
}
const persisted = existsSync(".data") ? files(".data") : [];
const leaks = [];
for (const file of persisted) {
  const text = readFileSync(file).toString("latin1");
  for (const canary of canaries) if (text.includes(canary.value)) leaks.push(`?${canary.name}= in ${file}`);
}
if (leaks.length > 0) await fail(`secret-bearing query strings persisted:\n${leaks.join("\n")}`);
console.log(`start smoke: no secret-bearing query string in ${persisted.length} persisted files`);
console.log(
  `start smoke: ok (suite healthy, ${printed.length} printed addresses answer, up after ${upAfter}, stopped ${Math.round((Date.now() - stopAt) / 1000)} s after Ctrl-C, nothing left)`,
);
process.exit(0);
