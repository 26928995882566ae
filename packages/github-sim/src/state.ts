/**
 * The simulator's state: typed collections kept in memory and written through to the Durable
 * Object's synchronous KV storage (`ctx.storage.kv`), one key per record. All reads and writes are
 * synchronous, so a handler that does not await between a check and a write is atomic.
 */
import { createClock, type SimClock } from "./clock.ts";
import type { SimFlavor } from "./flavor.ts";
import type {
  CallEntry,
  DeliveryRecord,
  FaultRule,
  LatencyRule,
  LoginFailures,
  RateWindow,
  RouteCounter,
  SimAccount,
  SimApp,
  SimDeviceAuth,
  SimGrant,
  SimInstallation,
  SimOAuthCode,
  SimRedirect,
  SimRepo,
  SimSettings,
  SimSsoAuthorization,
  SimSsoRequest,
  SimToken,
} from "./types.ts";

/** The slice of `SyncKvStorage` the store needs (also easy to fake in memory). */
export interface KvBackend {
  get<T>(key: string): T | undefined;
  list<T>(options: { prefix: string }): Iterable<[string, T]>;
  put<T>(key: string, value: T): void;
  delete(key: string): boolean;
}

/**
 * A map of records under one key prefix, loaded once and written through. A memory-only collection
 * (`persist: false`) skips storage: a Durable Object answers only after its writes are committed, so
 * per-call telemetry (call log, counters, rate windows) stays in memory to keep calls fast.
 */
export class Collection<T> {
  readonly #kv: KvBackend | null;
  readonly #prefix: string;
  readonly #map = new Map<string, T>();

  /** `upgrade` fills in fields that records stored by an older simulator lack (applied on load). */
  constructor(
    kv: KvBackend,
    prefix: string,
    options: { persist?: boolean; upgrade?: (stored: T) => T } = {},
  ) {
    this.#kv = options.persist === false ? null : kv;
    this.#prefix = `${prefix}:`;
    const upgrade = options.upgrade ?? ((stored: T) => stored);
    for (const [key, value] of this.#kv?.list<T>({ prefix: this.#prefix }) ?? []) {
      this.#map.set(key.slice(this.#prefix.length), upgrade(value));
    }
  }

  /** The record under `key`, or undefined. Mutating it requires `set` to persist. */
  get(key: string | number): T | undefined {
    return this.#map.get(String(key));
  }

  /** Stores (and persists) a record. */
  set(key: string | number, value: T): T {
    this.#map.set(String(key), value);
    this.#kv?.put(this.#prefix + String(key), value);
    return value;
  }

  /** Removes a record; true if it existed. */
  delete(key: string | number): boolean {
    this.#kv?.delete(this.#prefix + String(key));
    return this.#map.delete(String(key));
  }

  /** Every record, in insertion order. */
  values(): T[] {
    return [...this.#map.values()];
  }

  /** The oldest key (insertion order), without copying the keys. */
  firstKey(): string | undefined {
    return this.#map.keys().next().value;
  }

  /** Every key. */
  keys(): string[] {
    return [...this.#map.keys()];
  }

  /** The first record matching `predicate`. */
  find(predicate: (value: T) => boolean): T | undefined {
    for (const value of this.#map.values()) if (predicate(value)) return value;
    return undefined;
  }

  /** Records matching `predicate`. */
  filter(predicate: (value: T) => boolean): T[] {
    return this.values().filter(predicate);
  }

  /** Number of records. */
  get size(): number {
    return this.#map.size;
  }

  /** Removes every record. */
  clear(): void {
    if (this.#kv) for (const key of this.#map.keys()) this.#kv.delete(this.#prefix + key);
    this.#map.clear();
  }
}

/** What the simulator was started as; kept across resets (see flavor.ts). */
export interface SimDefaults {
  flavor: SimFlavor;
  /** The installation token format after a reset (`startSimulator({ tokenFormat })`). */
  tokenFormat: SimSettings["tokenFormat"];
}

const DOTCOM_CLASSIC: SimDefaults = { flavor: "dotcom", tokenFormat: "classic" };

/** Settings of a fresh simulator. */
export function defaultSettings(defaults: SimDefaults = DOTCOM_CLASSIC): SimSettings {
  return {
    signedInLogin: null,
    autoApprove: "off",
    tokenFormat: defaults.tokenFormat,
    clockOffsetMs: 0,
    rateLimitCore: 5000,
    rateLimitUnauthenticated: 60,
    lockoutThreshold: 20,
    lockoutWindowSeconds: 60,
    lockoutSeconds: 300,
    nextId: {},
  };
}

/** An App as an older simulator stored it: before the setup URL fields existed. */
type StoredApp = Omit<SimApp, "setupUrl" | "setupOnUpdate"> &
  Partial<Pick<SimApp, "setupUrl" | "setupOnUpdate">>;

/** Fills in App fields added later, so a persisted world from an older simulator keeps working. */
function upgradeApp(stored: SimApp): SimApp {
  const old: StoredApp = stored;
  return { ...old, setupUrl: old.setupUrl ?? null, setupOnUpdate: old.setupOnUpdate ?? true };
}

/** First id handed out per kind when a seed gives none (GitHub-looking magnitudes). */
const ID_BASES: Record<string, number> = {
  account: 1_000_001,
  repo: 700_000_001,
  app: 900_001,
  installation: 50_000_001,
  grant: 1,
  authorization: 1_000,
};

/** The whole simulator state. One instance per Durable Object. */
export class SimStore {
  readonly kv: KvBackend;
  readonly accounts: Collection<SimAccount>;
  readonly repos: Collection<SimRepo>;
  readonly apps: Collection<SimApp>;
  readonly installations: Collection<SimInstallation>;
  /** Key: `${appId}:${userId}`. */
  readonly grants: Collection<SimGrant>;
  readonly tokens: Collection<SimToken>;
  readonly codes: Collection<SimOAuthCode>;
  readonly devices: Collection<SimDeviceAuth>;
  /** Call log, by zero-padded sequence number. */
  readonly calls: Collection<CallEntry>;
  /** Per-route counters, by route key. */
  readonly counters: Collection<RouteCounter>;
  readonly faults: Collection<FaultRule>;
  readonly latency: Collection<LatencyRule>;
  /** Primary rate-limit windows, by bucket key. */
  readonly rateWindows: Collection<RateWindow>;
  /** Webhook deliveries, by delivery id. */
  readonly deliveries: Collection<DeliveryRecord>;
  /** Old repository names after renames and transfers, by `${ownerId}/${lower-cased name}`. */
  readonly redirects: Collection<SimRedirect>;
  /** SSO authorizations, by `${grantId}:${orgId}`. */
  readonly ssoAuthorizations: Collection<SimSsoAuthorization>;
  /** SSO authorize URLs handed out, by their `authorization_request` id. */
  readonly ssoRequests: Collection<SimSsoRequest>;
  /** Failed-login counters per person (memory only, like rate windows). */
  readonly loginFailures: Collection<LoginFailures>;
  readonly clock: SimClock;
  /** github.com or GHES, fixed at start. */
  readonly flavor: SimFlavor;
  readonly #defaults: SimDefaults;
  #settings: SimSettings;
  #callSeq = 0;

  constructor(kv: KvBackend, defaults: SimDefaults = DOTCOM_CLASSIC) {
    this.kv = kv;
    this.flavor = defaults.flavor;
    this.#defaults = defaults;
    this.accounts = new Collection(kv, "account");
    this.repos = new Collection(kv, "repo");
    this.apps = new Collection(kv, "app", { upgrade: upgradeApp });
    this.installations = new Collection(kv, "installation");
    this.grants = new Collection(kv, "grant");
    this.tokens = new Collection(kv, "token");
    this.codes = new Collection(kv, "code");
    this.devices = new Collection(kv, "device");
    this.calls = new Collection(kv, "call", { persist: false });
    this.counters = new Collection(kv, "counter", { persist: false });
    this.faults = new Collection(kv, "fault");
    this.latency = new Collection(kv, "latency");
    this.rateWindows = new Collection(kv, "ratewindow", { persist: false });
    this.deliveries = new Collection(kv, "delivery", { persist: false });
    this.redirects = new Collection(kv, "redirect");
    this.ssoAuthorizations = new Collection(kv, "ssoauth");
    this.ssoRequests = new Collection(kv, "ssorequest");
    this.loginFailures = new Collection(kv, "loginfailure", { persist: false });
    this.#settings = { ...defaultSettings(defaults), ...(kv.get<SimSettings>("settings") ?? {}) };
    this.clock = createClock(() => this.#settings.clockOffsetMs);
  }

  /** Current settings (read-only view; change them with `updateSettings`). */
  get settings(): Readonly<SimSettings> {
    return this.#settings;
  }

  /** Merges `patch` into the settings and persists them. */
  updateSettings(patch: Partial<SimSettings>): SimSettings {
    this.#settings = { ...this.#settings, ...patch };
    this.kv.put("settings", this.#settings);
    return this.#settings;
  }

  /** Hands out the next id of `kind`, above every id of that kind seen so far. */
  nextId(kind: keyof typeof ID_BASES | string): number {
    const next = this.#settings.nextId[kind] ?? ID_BASES[kind] ?? 1;
    this.updateSettings({ nextId: { ...this.#settings.nextId, [kind]: next + 1 } });
    return next;
  }

  /** Next call-log sequence number (memory only, like the log). */
  nextCallSeq(): number {
    this.#callSeq += 1;
    return this.#callSeq;
  }

  /** Makes sure later generated ids of `kind` do not collide with an explicitly seeded `id`. */
  reserveId(kind: string, id: number): void {
    const next = this.#settings.nextId[kind] ?? ID_BASES[kind] ?? 1;
    if (id >= next) this.updateSettings({ nextId: { ...this.#settings.nextId, [kind]: id + 1 } });
  }

  /** Forgets everything, settings included (back to what the simulator was started with). */
  reset(): void {
    for (const c of [
      this.accounts,
      this.repos,
      this.apps,
      this.installations,
      this.grants,
      this.tokens,
      this.codes,
      this.devices,
      this.calls,
      this.counters,
      this.faults,
      this.latency,
      this.rateWindows,
      this.deliveries,
      this.redirects,
      this.ssoAuthorizations,
      this.ssoRequests,
      this.loginFailures,
    ]) {
      c.clear();
    }
    this.#settings = defaultSettings(this.#defaults);
    this.kv.put("settings", this.#settings);
  }

  /** The account with this login (case-insensitive, as on GitHub). */
  accountByLogin(login: string): SimAccount | undefined {
    const lower = login.toLowerCase();
    return this.accounts.find((a) => a.login.toLowerCase() === lower);
  }

  /** The repository `owner/name` (case-insensitive). */
  repoByName(owner: string, name: string): SimRepo | undefined {
    const account = this.accountByLogin(owner);
    if (!account) return undefined;
    const lower = name.toLowerCase();
    return this.repos.find((r) => r.ownerId === account.id && r.name.toLowerCase() === lower);
  }

  /** The App with this client id. */
  appByClientId(clientId: string): SimApp | undefined {
    return this.apps.find((a) => a.clientId === clientId);
  }

  /** The account behind `id`; throws when the world is inconsistent (a bug in the simulator). */
  account(id: number): SimAccount {
    const a = this.accounts.get(id);
    if (!a) throw new Error(`github-sim: account ${id} missing`);
    return a;
  }

  /** Repositories an installation can reach. */
  installationRepos(installation: SimInstallation): SimRepo[] {
    if (installation.repositorySelection === "all") {
      return this.repos.filter((r) => r.ownerId === installation.accountId);
    }
    const ids = new Set(installation.repositoryIds);
    return this.repos.filter((r) => ids.has(r.id));
  }

  /** The installation of `appId` that covers `repo`, if any (deleted installations are gone). */
  installationForRepo(appId: number, repo: SimRepo): SimInstallation | undefined {
    return this.installations.find(
      (i) =>
        i.appId === appId &&
        i.accountId === repo.ownerId &&
        (i.repositorySelection === "all" || i.repositoryIds.includes(repo.id)),
    );
  }
}
