import { readFileSync } from "node:fs";
import { isLoopback } from "./is-loopback.ts";
import { normalizeGitHubHost } from "./normalize-github-host.ts";
import { DEFAULT_GITHUB_HOST, ENV, type SessionConfig } from "./types.ts";

/** A session config as read: any field may be missing or undefined until `valid` says otherwise. */
type ReadConfig = { [K in keyof SessionConfig]?: SessionConfig[K] | undefined };

function valid(config: ReadConfig): config is SessionConfig {
  return (
    typeof config.apiUrl === "string" &&
    URL.canParse(config.apiUrl) &&
    // https, or http on this machine only: the secret goes out with every call and a GitHub token comes
    // back, which must not cross a network in clear text.
    (new URL(config.apiUrl).protocol === "https:" ||
      (new URL(config.apiUrl).protocol === "http:" && isLoopback(new URL(config.apiUrl)))) &&
    typeof config.sessionId === "string" &&
    /^[A-Za-z0-9_.:@-]{1,128}$/.test(config.sessionId) &&
    typeof config.secret === "string" &&
    /^[A-Za-z0-9_-]{16,256}$/.test(config.secret) &&
    typeof config.githubHost === "string" &&
    normalizeGitHubHost(config.githubHost) !== undefined
  );
}

/**
 * The session to talk to: from the file `setup` wrote (`--config`, mode 0600, inside `.git` so it is
 * never committed), else from `GITCRED_SESSION_URL`, `GITCRED_SESSION_ID`, `GITCRED_SESSION_SECRET`
 * (how a platform hands a sandbox its session). The GitHub host comes from the file, else
 * `GITCRED_GITHUB_HOST`, else `github.com` (a file an older version wrote has none): the helper answers
 * that host only, so a config that names no host must not widen it. Throws with a message that names no
 * secret.
 */
export function loadSessionConfig(options: {
  configPath?: string | undefined;
  env: NodeJS.ProcessEnv;
}): SessionConfig {
  let config: ReadConfig;
  if (options.configPath !== undefined) {
    try {
      const read = JSON.parse(readFileSync(options.configPath, "utf8")) as ReadConfig;
      config = { ...read, githubHost: read.githubHost ?? DEFAULT_GITHUB_HOST };
    } catch {
      throw new Error(`cannot read the session file ${options.configPath}`);
    }
  } else {
    config = {
      apiUrl: options.env[ENV.url],
      sessionId: options.env[ENV.id],
      secret: options.env[ENV.secret],
      githubHost: options.env[ENV.githubHost] || DEFAULT_GITHUB_HOST,
    };
  }
  if (!valid(config)) {
    throw new Error(
      options.configPath === undefined
        ? `set ${ENV.url}, ${ENV.id} and ${ENV.secret} (or pass --config FILE); ${ENV.githubHost}, if set, is host[:port]`
        : `the session file ${options.configPath} is incomplete`,
    );
  }
  return {
    apiUrl: config.apiUrl.replace(/\/+$/, ""),
    sessionId: config.sessionId,
    secret: config.secret,
    // Normalized once, so the scope written to git config and the helper's check agree.
    githubHost: normalizeGitHubHost(config.githubHost) ?? DEFAULT_GITHUB_HOST,
  };
}
