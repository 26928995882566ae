/**
 * `gitcred-credential`: the git credential helper of a gitcred agent session.
 *
 *   gitcred-credential clone [--proxy] <url> [<dir>]          clone through the session, then `setup`
 *   gitcred-credential setup [--proxy] [--dir D] [--remote R] configure an existing clone
 * `--proxy`: git goes through the session's git proxy, which holds the token; the sandbox holds none.
 *   gitcred-credential get|store|erase [--config F] git's credential protocol (git calls these)
 *   gitcred-credential commit-msg --config F <file> the commit hook `setup` installs
 *
 * The session comes from GITCRED_SESSION_URL, GITCRED_SESSION_ID and GITCRED_SESSION_SECRET (setup keeps
 * them in the clone's .git, mode 0600); GITCRED_GITHUB_HOST names the GitHub host (github.com by default),
 * the only one the helper answers, over https. No token is ever written to disk, a remote URL or git config.
 */
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { cloneRepository } from "./clone-repository.ts";
import { cloneThroughProxy } from "./clone-through-proxy.ts";
import { type CredentialAction, handleCredentialAction } from "./handle-credential-action.ts";
import { loadSessionConfig } from "./load-session-config.ts";
import { runCommitMsgHook } from "./run-commit-msg-hook.ts";
import { setupProxyRepository } from "./setup-proxy-repository.ts";
import { setupRepository } from "./setup-repository.ts";

const USAGE = `usage:
  gitcred-credential clone [--proxy] <url> [<dir>]
  gitcred-credential setup [--proxy] [--dir <dir>] [--remote <name>]
  gitcred-credential get|store|erase [--config <file>]
  gitcred-credential commit-msg --config <file> <message-file>
The session: GITCRED_SESSION_URL, GITCRED_SESSION_ID, GITCRED_SESSION_SECRET.
The GitHub host (https only): GITCRED_GITHUB_HOST, default github.com.
`;

function warn(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return "";
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    // git sends a few short lines; anything larger is not a credential request.
    if (size > 64 * 1024) break;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

async function main(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      config: { type: "string" },
      dir: { type: "string" },
      remote: { type: "string" },
      proxy: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help === true || command === undefined) {
    process.stdout.write(USAGE);
    return command === undefined && values.help !== true ? 2 : 0;
  }
  switch (command) {
    case "get":
    case "store":
    case "erase": {
      const input = await readStdin();
      const gitDir = values.config === undefined ? undefined : dirname(dirname(values.config));
      try {
        const config = loadSessionConfig({ configPath: values.config, env: process.env });
        process.stdout.write(
          await handleCredentialAction(command as CredentialAction, input, { config, gitDir, warn }),
        );
      } catch (error) {
        warn(`gitcred: ${error instanceof Error ? error.message : "failed"}`);
        if (command === "get") process.stdout.write("quit=1\n");
      }
      // A helper's exit status is not how git learns of failure: an empty answer (or quit=1) is.
      return 0;
    }
    case "setup": {
      const config = loadSessionConfig({ env: process.env });
      const setup = values.proxy === true ? setupProxyRepository : setupRepository;
      const result = await setup({ dir: values.dir ?? ".", remote: values.remote ?? "origin", config });
      process.stdout.write(
        `gitcred: ${result.credentialScope} now authenticates through session ${config.sessionId}; ` +
          (result.removedHelpers.length > 0 ? `removed stale ${result.removedHelpers.join(", ")}; ` : "") +
          `commits by ${result.identity.author.name} <${result.identity.author.email}>\n`,
      );
      return 0;
    }
    case "clone": {
      const [url, dir] = rest;
      if (url === undefined) {
        process.stdout.write(USAGE);
        return 2;
      }
      const config = loadSessionConfig({ env: process.env });
      const clone = values.proxy === true ? cloneThroughProxy : cloneRepository;
      const result = await clone({ url, dir, config });
      process.stdout.write(`gitcred: cloned into ${result.dir}; commits by ${result.identity.author.name}\n`);
      return 0;
    }
    case "commit-msg": {
      const [messageFile] = rest;
      if (messageFile === undefined || values.config === undefined) {
        process.stdout.write(USAGE);
        return 2;
      }
      let config: ReturnType<typeof loadSessionConfig> | undefined;
      try {
        config = loadSessionConfig({ configPath: values.config, env: process.env });
      } catch {
        config = undefined;
      }
      const outcome = await runCommitMsgHook({
        messageFile,
        gitDir: dirname(dirname(values.config)),
        config,
        env: process.env,
      });
      if (!outcome.ok) {
        warn(outcome.message);
        return 1;
      }
      return 0;
    }
    default:
      process.stdout.write(USAGE);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    warn(`gitcred: ${error instanceof Error ? error.message : "failed"}`);
    process.exitCode = 1;
  },
);
