/**
 * A sandbox for one credential attack: its own HOME and git config, the session in the environment as a
 * platform hands it over, and the certificate of the local https servers trusted by git and Node.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SelfSignedCert } from "../../../test-support/self-signed-cert.ts";
import { shellQuote } from "../src/helper-command.ts";

export const LFS_STAND_IN = join(import.meta.dirname, "lfs-stand-in.ts");

/** What an attack runs against: the helper, a live session and the GitHub stand-in. */
export interface AttackTarget {
  /** The helper CLI as Node runs it: `dist/cli.js`, or `src/cli.ts` on a Node that strips types. */
  cliScript: string;
  session: { apiUrl: string; sessionId: string; secret: string };
  /** The https git server standing in for GitHub, the directory it serves and the session's repository. */
  github: { url: string; host: string; root: string; owner: string; repo: string };
  tls: SelfSignedCert;
  /** A directory the attacks may fill (homes, clones). */
  scratch: string;
}

export interface AttackBox {
  home: string;
  env: NodeJS.ProcessEnv;
  /** The helper as a `credential.helper` value (`!'node' 'cli.js'`), reading the session from the environment. */
  helper: string;
}

function configValue(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/**
 * A fresh HOME for one attack: `lfs` installs the git-lfs stand-in, `resolve` maps names to 127.0.0.1,
 * `globalHelper` installs the helper sandbox-wide (unscoped, the session from the environment), as a
 * platform may do instead of running `setup` in each clone.
 */
export function openAttackBox(
  target: AttackTarget,
  options: { lfs?: boolean; resolve?: readonly string[]; githubHost?: string; globalHelper?: boolean } = {},
): AttackBox {
  const helper = `!${shellQuote(process.execPath)} ${shellQuote(target.cliScript)}`;
  const home = mkdtempSync(join(target.scratch, "attack-home-"));
  const caFile = join(home, "ca.pem");
  writeFileSync(caFile, target.tls.cert);
  const lines = ["[user]", "\tname = Sandbox", "\temail = sandbox@example.com"];
  if (options.lfs === true) {
    const smudge = `${shellQuote(process.execPath)} ${shellQuote(LFS_STAND_IN)} %f`;
    lines.push('[filter "lfs"]', `\tsmudge = ${configValue(smudge)}`, "\tclean = cat", "\trequired = true");
  }
  for (const entry of options.resolve ?? []) lines.push("[http]", `\tcurloptResolve = ${entry}`);
  if (options.globalHelper === true)
    lines.push("[credential]", '\thelper = ""', `\thelper = ${configValue(helper)}`);
  writeFileSync(join(home, ".gitconfig"), `${lines.join("\n")}\n`);
  return {
    home,
    helper,
    env: {
      PATH: process.env.PATH,
      HOME: home,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_TERMINAL_PROMPT: "0",
      GIT_SSL_CAINFO: caFile,
      NODE_EXTRA_CA_CERTS: caFile,
      GITCRED_SESSION_URL: target.session.apiUrl,
      GITCRED_SESSION_ID: target.session.sessionId,
      GITCRED_SESSION_SECRET: target.session.secret,
      GITCRED_GITHUB_HOST: options.githubHost ?? target.github.host,
    },
  };
}
