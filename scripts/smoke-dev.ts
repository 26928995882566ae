/**
 * CI check of the README's first command: `pnpm dev` brings the suite up (GET /healthz answers 200 with
 * every worker healthy) and Ctrl-C leaves no process behind. On a clean clone .data/ does not exist yet,
 * so this is exactly what a new user gets.
 */
import { spawn, spawnSync } from "node:child_process";

// `script` gives `pnpm dev` a real terminal, so the Ctrl-C below travels the way a person's does: the
// terminal turns ^C into SIGINT for its foreground process group.
const child = spawn("script", ["-qfec", "pnpm dev", "/dev/null"], { stdio: ["pipe", "pipe", "pipe"] });
let output = "";
child.stdout.on("data", (d) => {
  output += d;
});
child.stderr.on("data", (d) => {
  output += d;
});

let status = 0;
let body = "";
const deadline = Date.now() + 180_000;
while (Date.now() < deadline && child.exitCode === null) {
  const res = await fetch("http://127.0.0.1:8787/healthz").catch(() => undefined);
  if (res !== undefined) {
    status = res.status;
    body = await res.text();
    if (status === 200) break;
  }
  await new Promise((r) => setTimeout(r, 1000));
}

child.stdin.write("\x03");
const exited = await Promise.race([
  new Promise<boolean>((r) => child.once("exit", () => r(true))),
  new Promise<boolean>((r) => setTimeout(() => r(false), 20_000)),
]);
await new Promise((r) => setTimeout(r, 1000));
const ours = "scripts/dev.ts|--persist-to .data/wrangler";
const leftovers = spawnSync("pgrep", ["-fa", ours], { encoding: "utf8" }).stdout.trim();

console.log(`dev smoke: /healthz -> ${status} ${body}`);
if (status !== 200) {
  console.log(output.slice(-4000));
  process.exit(1);
}
if (!exited) {
  console.log("dev smoke: pnpm dev did not exit within 20 s of Ctrl-C");
  child.kill("SIGKILL");
  process.exit(1);
}
if (leftovers !== "") {
  console.log(`dev smoke: processes left behind after Ctrl-C:\n${leftovers}`);
  process.exit(1);
}
console.log("dev smoke: ok (suite healthy, nothing left running after Ctrl-C)");
