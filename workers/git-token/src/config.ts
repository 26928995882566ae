import type { InstallationPermissions } from "@gitcred/client";
import type { GitHubEndpoints } from "@gitcred/github";
import { readAppPrivateKey } from "@gitcred/github";
import type { Keyring } from "@gitcred/utils";
import { ConfigError, parseEncryptionKeys } from "@gitcred/utils";
import { parsePermissionCeiling } from "./installation/permission-ceiling.ts";

/** The settings of this worker that its logic reads (a subset of the generated `Env`). */
export interface ConfigEnv {
  GITHUB_API_URL?: string;
  GITHUB_WEB_URL?: string;
  ENABLE_GITHUB_USER_TOKENS?: string;
  GITHUB_APP_ID?: string;
  GITHUB_APP_SLUG?: string;
  GITHUB_CLIENT_ID?: string;
  GITHUB_CLIENT_SECRET?: string;
  GITHUB_APP_PRIVATE_KEY?: string;
  TOKEN_ENCRYPTION_KEYS?: string;
  PERMISSION_CEILING?: string;
}

/** The GitHub App as configured; `privateKey` (PKCS#8 PEM, for auth-app) rejects with a GitHubConfigError when unusable. */
export interface AppConfig {
  appId: string;
  slug: string;
  privateKey: Promise<string>;
}

/** The App's OAuth client (user flows, refresh, revocation). */
export interface OAuthClientConfig {
  clientId: string;
  clientSecret: string;
}

export interface ServiceConfig {
  github: GitHubEndpoints;
  userTokensEnabled: boolean;
  /** undefined when GITHUB_APP_ID or GITHUB_APP_SLUG is missing. */
  app: AppConfig | undefined;
  /** undefined when GITHUB_CLIENT_ID or GITHUB_CLIENT_SECRET is missing. */
  oauth: OAuthClientConfig | undefined;
  /** Rejects with a ConfigError (message names no key material) when TOKEN_ENCRYPTION_KEYS is bad. */
  keyring: Promise<Keyring>;
  /**
   * The most the platform's entrypoint may mint (`PERMISSION_CEILING`), or the ConfigError that a
   * malformed setting is: the App path then answers `internal_error` rather than minting without a ceiling.
   */
  permissionCeiling: Readonly<InstallationPermissions> | ConfigError;
}

/**
 * The OAuth client, or a ConfigError that the RPC boundary answers as `internal_error` with a
 * "configuration error" message (one rule in one place instead of a hand-written block per flow).
 */
export function requireOAuth(config: Pick<ServiceConfig, "oauth">): OAuthClientConfig {
  if (config.oauth === undefined) {
    throw new ConfigError("GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET must be set for people's GitHub tokens");
  }
  return config.oauth;
}

const cache = new Map<string, ServiceConfig>();
/**
 * The config of an `env` object already seen. A Worker's env does not change while the isolate lives, so
 * the warm path skips building the signature (JSON of every setting, the ~1.7 KB private key included),
 * which P2 showed costs a measurable share of a warm call. A different env object (a test's overrides)
 * still goes through the signature, so equal settings share one parse.
 */
const byEnv = new WeakMap<ConfigEnv, ServiceConfig>();

function ceilingOrError(raw: string | undefined): Readonly<InstallationPermissions> | ConfigError {
  try {
    return parsePermissionCeiling(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}

function settled<T>(promise: Promise<T>): Promise<T> {
  // Parsed once per isolate; a rejection is observed here so it is never "unhandled" before first use.
  promise.catch(() => {});
  return promise;
}

/**
 * The parsed configuration, built once per isolate per distinct settings (the keys and the private key
 * are imported as non-extractable CryptoKeys once, not per request). `ENABLE_GITHUB_USER_TOKENS` is on
 * only for the exact string "true": a typo leaves people's tokens off, the safe side.
 */
export function loadConfig(env: ConfigEnv): ServiceConfig {
  const seen = byEnv.get(env);
  if (seen !== undefined) return seen;
  const config = loadConfigBySignature(env);
  byEnv.set(env, config);
  return config;
}

function loadConfigBySignature(env: ConfigEnv): ServiceConfig {
  const signature = JSON.stringify([
    env.GITHUB_API_URL,
    env.GITHUB_WEB_URL,
    env.ENABLE_GITHUB_USER_TOKENS,
    env.GITHUB_APP_ID,
    env.GITHUB_APP_SLUG,
    env.GITHUB_CLIENT_ID,
    env.GITHUB_CLIENT_SECRET,
    env.GITHUB_APP_PRIVATE_KEY,
    env.TOKEN_ENCRYPTION_KEYS,
    env.PERMISSION_CEILING,
  ]);
  const cached = cache.get(signature);
  if (cached !== undefined) return cached;
  const appId = nonEmpty(env.GITHUB_APP_ID);
  const slug = nonEmpty(env.GITHUB_APP_SLUG);
  const clientId = nonEmpty(env.GITHUB_CLIENT_ID);
  const clientSecret = nonEmpty(env.GITHUB_CLIENT_SECRET);
  const config: ServiceConfig = {
    github: {
      apiUrl: nonEmpty(env.GITHUB_API_URL) ?? "https://api.github.com",
      webUrl: nonEmpty(env.GITHUB_WEB_URL) ?? "https://github.com",
      userAgent: "gitcred-git-token",
    },
    userTokensEnabled: env.ENABLE_GITHUB_USER_TOKENS?.trim().toLowerCase() === "true",
    app:
      appId !== undefined && slug !== undefined
        ? { appId, slug, privateKey: settled(readAppPrivateKey(env.GITHUB_APP_PRIVATE_KEY)) }
        : undefined,
    oauth: clientId !== undefined && clientSecret !== undefined ? { clientId, clientSecret } : undefined,
    keyring: settled(parseEncryptionKeys(env.TOKEN_ENCRYPTION_KEYS)),
    permissionCeiling: ceilingOrError(env.PERMISSION_CEILING),
  };
  // Settings differ only between deployments (and tests): a handful of entries at most.
  if (cache.size > 8) cache.clear();
  cache.set(signature, config);
  return config;
}
