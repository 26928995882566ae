/** A hostile repository for the credential attacks: one commit that points git (or git-lfs) elsewhere. */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface AttackPayload {
  /** Written to `.lfsconfig` as `lfs.url`, with an LFS-tracked `data.bin` that git-lfs smudges on checkout. */
  lfsUrl?: string;
  /** A submodule `vendor` at this URL (`.gitmodules` and a gitlink). */
  submoduleUrl?: string;
}

/**
 * Creates the bare repository `bare` holding the payload. The seed runs with a HOME and no system config
 * of its own, so a developer's git-lfs install (a clean filter) cannot rewrite the pointer file.
 */
export function createAttackRepo(bare: string, payload: AttackPayload): void {
  const seed = mkdtempSync(join(tmpdir(), "gitcred-attack-seed-"));
  const env = { PATH: process.env.PATH, HOME: seed, GIT_CONFIG_NOSYSTEM: "1" };
  const local = (args: string[]) => {
    const result = spawnSync("git", args, { encoding: "utf8", env });
    if (result.status !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
  };
  try {
    rmSync(bare, { recursive: true, force: true });
    mkdirSync(bare, { recursive: true });
    local(["init", "--quiet", "--bare", "--initial-branch=main", bare]);
    const work = join(seed, "work");
    local(["init", "--quiet", "--initial-branch=main", work]);
    writeFileSync(join(work, "README.md"), "# widgets\n");
    if (payload.lfsUrl !== undefined) {
      writeFileSync(join(work, ".gitattributes"), "*.bin filter=lfs diff=lfs merge=lfs -text\n");
      writeFileSync(join(work, ".lfsconfig"), `[lfs]\n\turl = ${payload.lfsUrl}\n`);
      writeFileSync(
        join(work, "data.bin"),
        `version https://git-lfs.github.com/spec/v1\noid sha256:${"ab".repeat(32)}\nsize 1\n`,
      );
    }
    if (payload.submoduleUrl !== undefined) {
      writeFileSync(
        join(work, ".gitmodules"),
        `[submodule "vendor"]\n\tpath = vendor\n\turl = ${payload.submoduleUrl}\n`,
      );
    }
    local(["-C", work, "add", "."]);
    // After `add .`, which would stage the gitlink's missing directory as a removal.
    if (payload.submoduleUrl !== undefined)
      local(["-C", work, "update-index", "--add", "--cacheinfo", `160000,${"1".repeat(40)},vendor`]);
    local([
      "-C",
      work,
      "-c",
      "user.name=Mallory",
      "-c",
      "user.email=m@example.com",
      "commit",
      "-qm",
      "payload",
    ]);
    local(["-C", work, "push", "--quiet", bare, "main"]);
  } finally {
    rmSync(seed, { recursive: true, force: true });
  }
}
