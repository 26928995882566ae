import type { InstallationTokenStore, StoredInstallationToken } from "@gitcred/github";
import { DecryptError, decryptSecret, encryptSecret, secretAad, sha256Hex } from "@gitcred/utils";
import { EXPIRY_MARGIN_MS, KV_MIN_TTL_SECONDS } from "../constants.ts";
import type { ServiceDeps } from "../deps.ts";
import { LruCache } from "../lru-cache.ts";

/** Isolate memory, keyed by App and auth-app's key (plaintext only here). */
const memory = new LruCache<StoredInstallationToken>(1000);

/** The KV key prefix of an installation's tokens: forgetting an installation lists exactly these. */
function installationPrefix(appId: string, installationId: number): string {
  return `installation-token:v2:${appId}:${installationId}:`;
}

/**
 * auth-app's keys are `installationId|repository names|permissions` (case as asked: GitHub's names are
 * not case-sensitive, so neither is the key); KV's limit is 512 bytes, so KV gets a hash of it.
 */
async function kvKeyOf(appId: string, installationId: number, key: string): Promise<string> {
  return `${installationPrefix(appId, installationId)}${(await sha256Hex(key)).slice(0, 32)}`;
}

function aad(kvKey: string): string {
  return secretAad("kv_token_cache", "installation_token", kvKey);
}

function fresh(entry: StoredInstallationToken, now: number): boolean {
  return entry.expiresAt - now > EXPIRY_MARGIN_MS;
}

interface KvValue {
  v: 2;
  /** Envelope of the JSON of `value` and `repositories`, bound to its KV key. */
  sealed: string;
  expiresAt: number;
}

function parseKvValue(value: unknown): KvValue | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Partial<KvValue>;
  if (v.v !== 2 || typeof v.sealed !== "string" || typeof v.expiresAt !== "number") return undefined;
  return v as KvValue;
}

function parseSealed(text: string): Pick<StoredInstallationToken, "value" | "repositories"> | undefined {
  const parsed = JSON.parse(text) as { value?: unknown; repositories?: unknown };
  if (typeof parsed.value !== "string" || !Array.isArray(parsed.repositories)) return undefined;
  const repositories = parsed.repositories.filter(
    (r): r is StoredInstallationToken["repositories"][number] =>
      typeof r === "object" && r !== null && typeof r.id === "number" && typeof r.fullName === "string",
  );
  return { value: parsed.value, repositories };
}

/** The installation id at the head of auth-app's key, or undefined for a key of another shape. */
function installationIdOf(key: string): number | undefined {
  const id = Number(key.split("|", 1)[0]);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

/**
 * The App's stored token under auth-app's `key` from this isolate's memory alone, while it is good for
 * more than the expiry margin; undefined otherwise (the store's `get` then tries KV).
 */
export function installationTokenInMemory(
  appId: string,
  key: string,
  now: number,
): StoredInstallationToken | undefined {
  const inMemory = memory.get(`${appId}:${key.toLowerCase()}`);
  return inMemory !== undefined && fresh(inMemory, now) ? inMemory : undefined;
}

/**
 * The store behind `@octokit/auth-app`'s `cache` option: isolate memory, then KV, where an entry is an
 * envelope whose AAD names its KV key (a value copied under another key does not decrypt) and which
 * KV expires 10 minutes before the token. A token that close to expiry is never answered (auth-app does
 * not look at expiry itself), so no caller gets one that dies mid-push. Other isolates reuse a mint
 * instead of making their own; a KV failure only costs a future mint.
 */
export function installationTokenStore(deps: ServiceDeps, appId: string): InstallationTokenStore {
  return {
    get: async (rawKey) => {
      const key = rawKey.toLowerCase();
      const now = deps.now();
      const inMemory = installationTokenInMemory(appId, key, now);
      if (inMemory !== undefined) return inMemory;
      const installationId = installationIdOf(key);
      if (installationId === undefined) return undefined;
      const kvKey = await kvKeyOf(appId, installationId, key);
      const stored = parseKvValue(await deps.kv.get(kvKey, "json").catch(() => null));
      if (stored === undefined || stored.expiresAt - now <= EXPIRY_MARGIN_MS) return undefined;
      let opened: ReturnType<typeof parseSealed>;
      try {
        opened = parseSealed(await decryptSecret(await deps.config.keyring, stored.sealed, aad(kvKey)));
      } catch (error) {
        if (!(error instanceof DecryptError) && !(error instanceof SyntaxError)) throw error;
        deps.logger.warn("cached installation token does not open", {
          code: error instanceof DecryptError ? error.code : "not_json",
        });
        return undefined;
      }
      if (opened === undefined) return undefined;
      const entry: StoredInstallationToken = { ...opened, installationId, expiresAt: stored.expiresAt };
      memory.set(`${appId}:${key}`, entry, entry.expiresAt - EXPIRY_MARGIN_MS);
      return entry;
    },
    set: async (rawKey, entry) => {
      const key = rawKey.toLowerCase();
      const reuseUntil = entry.expiresAt - EXPIRY_MARGIN_MS;
      memory.set(`${appId}:${key}`, entry, reuseUntil);
      const ttl = Math.floor((reuseUntil - deps.now()) / 1000);
      if (ttl < KV_MIN_TTL_SECONDS) return;
      const kvKey = await kvKeyOf(appId, entry.installationId, key);
      const sealed = await encryptSecret(
        await deps.config.keyring,
        JSON.stringify({ value: entry.value, repositories: entry.repositories }),
        aad(kvKey),
      );
      const value: KvValue = { v: 2, sealed, expiresAt: entry.expiresAt };
      deps.waitUntil(
        deps.kv.put(kvKey, JSON.stringify(value), { expirationTtl: ttl }).catch((error: unknown) => {
          deps.logger.warn("could not cache installation token", { error });
        }),
      );
    },
  };
}

/**
 * Deletes every cached token of an installation, in memory and in KV (its keys share the
 * installation's prefix). Returns how many KV entries went.
 */
export async function forgetInstallationTokens(
  deps: ServiceDeps,
  appId: string,
  installationId: number,
): Promise<number> {
  memory.deleteWhere((entry) => entry.installationId === installationId);
  const prefix = installationPrefix(appId, installationId);
  let deleted = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.kv.list({ prefix, ...(cursor === undefined ? {} : { cursor }) });
    await Promise.all(page.keys.map((k) => deps.kv.delete(k.name)));
    deleted += page.keys.length;
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor !== undefined);
  return deleted;
}

/** Forgets every token held in this isolate's memory (tests simulate a fresh isolate). */
export function clearInstallationTokenMemory(): void {
  memory.clear();
}
