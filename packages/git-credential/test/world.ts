/** People, repositories and clones for the end-to-end test: GitHub is the simulator, git is real. */
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SessionEvent } from "@gitcred/client/session-http";
import type { Suite } from "./start-suite.ts";

/**
 * RPC answers as this Node test reads them (the full unions live in @gitcred/client, whose RPC interfaces
 * need the Workers types; only the fields checked here are named).
 */
export type Answer<T extends object> = ({ ok: true } & T) | { ok: false; reason: string; message?: string };
export type PrepareAnswer = Answer<{ sessionSecret: string }>;
export type SessionAnswer = Answer<{ session: { identity: string | null; commitTrailers: string[] } }>;
export type EventsAnswer = Answer<{ events: SessionEvent[] }>;

export const CLI = join(import.meta.dirname, "..", "dist", "cli.js");

export interface World {
  login: string;
  name: string;
  githubUserId: number;
  userId: string;
  owner: string;
  repo: string;
  /** The platform tenant that claimed the repository's installation. */
  tenantId: string;
}

export function unique(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command without blocking: the git server and the simulator's front live in this process, so a
 * synchronous spawn of `git push` would wait on a server that cannot answer. Never throws for a non-zero exit.
 */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env });
    // A command that exits without reading its input closes the pipe: that is not an error here.
    child.stdin.on("error", () => {});
    child.stdin.end(options.input ?? "");
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ status: code ?? 1, stdout, stderr }));
  });
}

/** Like `run`, but throws with the output on failure. */
export async function must(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  const result = await run(command, args, options);
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")}: ${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** A local git command that talks to no server (safe to run synchronously). */
function local(args: string[]): string {
  const result = spawnSync("git", args, { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}

/** A person with write access to one org repository where the App is installed. */
export async function seedWorld(suite: Suite): Promise<World> {
  const login = unique("ada");
  const name = `Ada ${login}`;
  const person = await suite.sim.seedUser({ login, name });
  const owner = unique("acme");
  await suite.sim.seedOrg({ login: owner });
  const repo = "widgets";
  await suite.sim.seedRepo({ owner, name: repo, collaborators: { [login]: "write" } });
  const installation = await suite.sim.seedInstallation({
    app: suite.appId,
    account: owner,
    repositories: [repo],
    webhook: false,
  });
  // The platform's tenant claims the installation, so the bot's token (after a downgrade) is entitled.
  const tenantId = unique("tenant");
  const granted = await suite.rpc<Answer<object>>("GIT_TOKEN", "grantInstallation", {
    tenantId,
    installationId: installation.id,
  });
  if (!granted.ok) throw new Error(`grantInstallation failed: ${granted.reason}`);
  return { login, name, githubUserId: person.id, userId: unique("user"), owner, repo, tenantId };
}

/** The person connects GitHub: the OAuth web flow (PKCE) at the simulator, finished by git-token. */
export async function connectPerson(suite: Suite, world: World): Promise<void> {
  const clientId = suite.appClientId;
  const codeVerifier = randomBytes(32).toString("base64url");
  const redirectUri = "http://127.0.0.1:8787/github/callback";
  const res = await fetch(`${suite.sim.url}/login/oauth/authorize`, {
    method: "POST",
    redirect: "manual",
    body: new URLSearchParams({
      sim_action: "signin",
      login: world.login,
      client_id: clientId,
      redirect_uri: redirectUri,
      state: randomBytes(16).toString("base64url"),
      code_challenge: createHash("sha256").update(codeVerifier).digest("base64url"),
      code_challenge_method: "S256",
    }),
  });
  const code = new URL(res.headers.get("location") ?? "http://x/").searchParams.get("code");
  if (code === null) throw new Error(`authorize answered ${res.status}`);
  const stored = await suite.rpc<Answer<object>>("GIT_TOKEN", "connectWithOAuthCode", {
    userId: world.userId,
    code,
    codeVerifier,
    redirectUri,
  });
  if (!stored.ok) throw new Error(`connect failed: ${stored.reason}`);
}

/**
 * A session prepared now for the person (`extra` adds to or overrides the request, e.g. `sandboxGit`);
 * returns the sandbox's session environment.
 */
export async function prepareSession(
  suite: Suite,
  world: World,
  extra: Record<string, unknown> = {},
): Promise<{ sessionId: string; secret: string }> {
  const sessionId = unique("session");
  const prepared = await suite.rpc<PrepareAnswer>("SESSION", "prepareSession", {
    sessionId,
    userId: world.userId,
    tenantId: world.tenantId,
    owner: world.owner,
    repo: world.repo,
    mode: "now",
    ...extra,
  });
  if (!prepared.ok) throw new Error(`prepare failed: ${prepared.reason}`);
  return { sessionId, secret: prepared.sessionSecret };
}

/** A bare repository on the git server with one commit by someone else. */
export function createServerRepo(root: string, world: World): string {
  const bare = join(root, world.owner, `${world.repo}.git`);
  mkdirSync(bare, { recursive: true });
  local(["init", "--quiet", "--bare", "--initial-branch=main", bare]);
  local(["--git-dir", bare, "config", "http.receivepack", "true"]);
  const seed = mkdtempSync(join(tmpdir(), "gitcred-seed-"));
  local(["init", "--quiet", "--initial-branch=main", seed]);
  writeFileSync(join(seed, "README.md"), "# widgets\n");
  commitAndPush(seed, "README.md", "init", bare);
  return bare;
}

/** Commits `file` of the work tree `seed` as the seeding author and pushes `main` to `remote`. */
export function commitAndPush(seed: string, file: string, message: string, remote: string): void {
  local(["-C", seed, "add", file]);
  local([
    "-C",
    seed,
    "-c",
    "user.name=Seed",
    "-c",
    "user.email=seed@example.com",
    "commit",
    "--quiet",
    "-m",
    message,
  ]);
  local(["-C", seed, "push", "--quiet", remote, "main"]);
}

/**
 * The sandbox's environment: a clean HOME, no system config, no prompts, the session, and the GitHub
 * host (the https git server, whose certificate git trusts through `GIT_SSL_CAINFO`).
 */
export function sandboxEnv(
  home: string,
  suite: Suite,
  session: { sessionId: string; secret: string },
  github: { host: string; caFile: string },
) {
  return {
    PATH: process.env.PATH,
    HOME: home,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_TERMINAL_PROMPT: "0",
    GIT_SSL_CAINFO: github.caFile,
    GITCRED_GITHUB_HOST: github.host,
    GITCRED_SESSION_URL: suite.sessionUrl,
    GITCRED_SESSION_ID: session.sessionId,
    GITCRED_SESSION_SECRET: session.secret,
  };
}

/** git run in a sandbox's clone, and a commit there of a new file (`file-<n>.txt` unless named). */
export function gitIn(dir: string, env: NodeJS.ProcessEnv) {
  let n = 0;
  return {
    git: (...args: string[]) => run("git", args, { cwd: dir, env }),
    async commit(message: string, file?: string) {
      n++;
      writeFileSync(join(dir, file ?? `file-${n}.txt`), `${message}\n`);
      await must("git", ["add", "."], { cwd: dir, env });
      return run("git", ["commit", "--quiet", "-m", message], { cwd: dir, env });
    },
  };
}

/** Commits on the server's main branch, newest first: author and message. */
export function serverLog(bare: string): { author: string; email: string; message: string }[] {
  const out = local(["--git-dir", bare, "log", "main", "--format=%an%x1f%ae%x1f%B%x1e"]);
  return out
    .split("\x1e")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "")
    .map((entry) => {
      const [author = "", email = "", message = ""] = entry.split("\x1f");
      return { author, email, message: message.trim() };
    });
}
