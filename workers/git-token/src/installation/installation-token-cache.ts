import type { InstallationPermissions } from "@gitcred/client";
import { DecryptError, decryptSecret, encryptSecret, secretAad, sha256Hex } from "@gitcred/utils";
import { EXPIRY_MARGIN_MS, KV_MIN_TTL_SECONDS } from "../constants.ts";
import type { ServiceDeps } from "../deps.ts";
import { LruCache } from "../lru-cache.ts";

/** An installation token as cached (plaintext only in isolate memory). */
export interface CachedInstallationToken {
  token: string;
  /** Epoch ms. */
  expiresAt: number;
  installationId: number;
  permissions: InstallationPermissions;
}

const memory = new LruCache<CachedInstallationToken>(1000);

/** Canonical form of a permission set: sorted `name=level` pairs. */
export function canonicalPermissions(permissions: InstallationPermissions): string {
  return Object.entries(permissions)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, level]) => `${name}=${level}`)
    .join(",");
}

/**
 * The cache key of a token: App, repository (lower-cased) and a hash of the exact permission set, so a
 * read-only request never gets a cached write token and the key stays within KV's 512 bytes.
 */
export async function installationTokenKey(
  appId: string,
  owner: string,
  repo: string,
  permissions: InstallationPermissions,
): Promise<string> {
  const hash = (await sha256Hex(canonicalPermissions(permissions))).slice(0, 32);
  return `installation-token:v1:${appId}:${`${owner}/${repo}`.toLowerCase()}:${hash}`;
}

function aad(key: string): string {
  return secretAad("kv_token_cache", "installation_token", key);
}

function fresh(entry: CachedInstallationToken, now: number): boolean {
  return entry.expiresAt - now > EXPIRY_MARGIN_MS;
}

interface KvValue {
  v: 1;
  token: string;
  expiresAt: number;
  installationId: number;
  permissions: InstallationPermissions;
}

function parseKvValue(value: unknown): KvValue | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Partial<KvValue>;
  if (
    v.v !== 1 ||
    typeof v.token !== "string" ||
    typeof v.expiresAt !== "number" ||
    typeof v.installationId !== "number" ||
    typeof v.permissions !== "object" ||
    v.permissions === null
  ) {
    return undefined;
  }
  return v as KvValue;
}

/**
 * A cached token still valid for more than 10 minutes: isolate memory first, then KV, where it is an
 * envelope whose AAD names the cache key (a value copied under another key does not decrypt).
 */
export async function readInstallationToken(
  deps: ServiceDeps,
  key: string,
): Promise<CachedInstallationToken | undefined> {
  const now = deps.now();
  const inMemory = memory.get(key);
  if (inMemory !== undefined && fresh(inMemory, now)) return inMemory;
  const stored = parseKvValue(await deps.kv.get(key, "json").catch(() => null));
  if (stored === undefined || stored.expiresAt - now <= EXPIRY_MARGIN_MS) return undefined;
  let token: string;
  try {
    token = await decryptSecret(await deps.config.keyring, stored.token, aad(key));
  } catch (error) {
    if (!(error instanceof DecryptError)) throw error;
    deps.logger.warn("cached installation token does not decrypt", { code: error.code });
    return undefined;
  }
  const entry = {
    token,
    expiresAt: stored.expiresAt,
    installationId: stored.installationId,
    permissions: stored.permissions,
  };
  memory.set(key, entry, entry.expiresAt - EXPIRY_MARGIN_MS);
  return entry;
}

/**
 * Caches a freshly minted token in memory and, encrypted, in KV until 10 minutes before it expires, so
 * other isolates reuse it instead of minting their own. A KV failure only costs a future mint.
 */
export async function writeInstallationToken(
  deps: ServiceDeps,
  key: string,
  entry: CachedInstallationToken,
): Promise<void> {
  const reuseUntil = entry.expiresAt - EXPIRY_MARGIN_MS;
  memory.set(key, entry, reuseUntil);
  const ttl = Math.floor((reuseUntil - deps.now()) / 1000);
  if (ttl < KV_MIN_TTL_SECONDS) return;
  const value: KvValue = {
    v: 1,
    token: await encryptSecret(await deps.config.keyring, entry.token, aad(key)),
    expiresAt: entry.expiresAt,
    installationId: entry.installationId,
    permissions: entry.permissions,
  };
  deps.waitUntil(
    deps.kv
      .put(key, JSON.stringify(value), {
        expirationTtl: ttl,
        metadata: { installationId: entry.installationId },
      })
      .catch((error: unknown) => {
        deps.logger.warn("could not cache installation token", { error });
      }),
  );
}

/**
 * Deletes every cached token of an installation, in memory and in KV (found through the installation
 * id in each entry's metadata). Returns how many KV entries went.
 */
export async function forgetInstallationTokens(
  deps: ServiceDeps,
  appId: string,
  installationId: number,
): Promise<number> {
  memory.deleteWhere((entry) => entry.installationId === installationId);
  const prefix = `installation-token:v1:${appId}:`;
  let deleted = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.kv.list<{ installationId?: unknown }>({
      prefix,
      ...(cursor === undefined ? {} : { cursor }),
    });
    const keys = page.keys.filter((k) => k.metadata?.installationId === installationId).map((k) => k.name);
    await Promise.all(keys.map((name) => deps.kv.delete(name)));
    deleted += keys.length;
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor !== undefined);
  return deleted;
}

/** Forgets every token held in this isolate's memory (tests simulate a fresh isolate). */
export function clearInstallationTokenMemory(): void {
  memory.clear();
}
