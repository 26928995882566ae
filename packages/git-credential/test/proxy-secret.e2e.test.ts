/**
 * In proxy mode the session secret is the sandbox's whole credential ("from anywhere that reaches the
 * session worker"), so it must not be readable by other users of the machine: not in a process's
 * arguments (`ps`, /proc/<pid>/cmdline: `setup --proxy` once wrote it with `git config <key> <value>`)
 * and not in `.git/config` (0644 under the usual umask). It lives in `<git-dir>/gitcred/proxy.gitconfig`,
 * 0600 in a 0700 directory, which `.git/config` includes. Real git, the real helper, a PATH that logs
 * every git command's arguments.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useProxyHarness } from "./proxy-harness.ts";
import { connectPerson, seedWorld } from "./world.ts";

const h = useProxyHarness();

/** A directory whose `git` records its arguments in `log`, then runs the real git. */
function loggingGit(): { path: string; log: string } {
  const real = spawnSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).stdout.trim();
  const path = mkdtempSync(join(tmpdir(), "gitcred-argv-"));
  const log = join(path, "argv.log");
  writeFileSync(log, "");
  writeFileSync(join(path, "git"), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${real}' "$@"\n`, {
    mode: 0o755,
  });
  return { path, log };
}

describe("the session secret in a proxy sandbox", () => {
  it("is in no git command's arguments and no file other users can read; pushes still carry it", async () => {
    const world = await seedWorld(h.suite);
    await connectPerson(h.suite, world);
    const shim = loggingGit();
    const box = await h.sandbox(world, {}, { PATH: `${shim.path}:${process.env.PATH ?? ""}` });
    expect((await box.commit("through the proxy")).status).toBe(0);
    const pushed = await box.git("push", "--quiet", "origin", "HEAD:refs/heads/agent/secret-file");
    expect(pushed, pushed.stderr).toMatchObject({ status: 0 });

    const argv = readFileSync(shim.log, "utf8");
    expect(argv).toContain("clone");
    expect(argv).not.toContain(box.session.secret);
    expect(readFileSync(join(box.dir, ".git", "config"), "utf8")).not.toContain(box.session.secret);
    expect(argv).toContain("include.path");
    const included = join(box.dir, ".git", "gitcred", "proxy.gitconfig");
    expect(readFileSync(included, "utf8")).toContain(`Authorization: Bearer ${box.session.secret}`);
    expect(statSync(included).mode & 0o777).toBe(0o600);
    expect(statSync(join(box.dir, ".git", "gitcred")).mode & 0o777).toBe(0o700);
  });
});
