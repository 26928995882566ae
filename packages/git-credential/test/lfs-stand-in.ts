/**
 * A stand-in for git-lfs's smudge filter (git-lfs is not on the machines this runs on), doing what
 * git-lfs does on checkout: read `lfs.url` from the clone's `.lfsconfig`, ask `git credential fill` for
 * that URL's protocol, host and path, and call its batch API with whatever credential came back. It runs
 * as git runs a filter (`filter.lfs.smudge`, inheriting the clone's `git -c` config), so a hostile
 * `.lfsconfig` is tested with real git and real processes. The file's content passes through unchanged.
 *
 *   node lfs-stand-in.ts <path>   (stdin: the pointer file; stdout: the same bytes)
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

function gitConfig(args: readonly string[]): string | undefined {
  const result = spawnSync("git", ["config", ...args, "--get", "lfs.url"], { encoding: "utf8" });
  const value = result.stdout.trim();
  return result.status === 0 && value !== "" ? value : undefined;
}

/** The credential `git credential fill` gives for a URL, as git-lfs asks for it (no prompt: none). */
function fill(target: URL): { username: string; password: string } | undefined {
  const input = `protocol=${target.protocol.replace(/:$/, "")}\nhost=${target.host}\npath=${target.pathname.replace(/^\//, "")}\n\n`;
  const result = spawnSync("git", ["credential", "fill"], { input, encoding: "utf8" });
  if (result.status !== 0) return undefined;
  const answer = new Map<string, string>();
  for (const line of result.stdout.split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0) answer.set(line.slice(0, eq), line.slice(eq + 1));
  }
  const password = answer.get("password");
  return password === undefined ? undefined : { username: answer.get("username") ?? "", password };
}

const pointer = readFileSync(0);
const lfsUrl = gitConfig(["--file", ".lfsconfig"]) ?? gitConfig(["--blob", "HEAD:.lfsconfig"]);
if (lfsUrl !== undefined && URL.canParse(lfsUrl)) {
  const target = new URL(lfsUrl);
  const credential = fill(target);
  const oid = /oid sha256:([0-9a-f]{64})/.exec(pointer.toString("utf8"))?.[1] ?? "0".repeat(64);
  const headers: Record<string, string> = {
    accept: "application/vnd.git-lfs+json",
    "content-type": "application/vnd.git-lfs+json",
  };
  if (credential !== undefined) {
    headers.authorization = `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString("base64")}`;
  }
  try {
    await fetch(`${lfsUrl.replace(/\/+$/, "")}/objects/batch`, {
      method: "POST",
      headers,
      body: JSON.stringify({ operation: "download", transfers: ["basic"], objects: [{ oid, size: 1 }] }),
    });
  } catch {
    // The attacker's host refused or is down: git-lfs would fail the checkout; the attack is what counts.
  }
}
process.stdout.write(pointer);
