/**
 * What a Cloudflare bill counts, counted inside the bench builds of gitcred's workers (P5): Durable
 * Object requests (calls on a stub), KV reads, writes, deletes and lists. The generated bench entry
 * (bench/lib/build.ts) hands each exported class an `env` whose KV and Durable Object bindings go
 * through these wrappers; nothing else changes. Counters are per isolate; `BenchClock.counts()` reads
 * them. Never deployed.
 */

export interface BillCounts {
  durableObjectRequests: number;
  kvReads: number;
  kvWrites: number;
  kvDeletes: number;
  kvLists: number;
}

/**
 * The worker's KV and Durable Object binding names, from its wrangler.toml (bench/lib/build.ts). By name,
 * not by shape: a service binding answers every property with a callable, so it would look like both.
 */
export interface CountedBindings {
  kv: readonly string[];
  durableObjects: readonly string[];
}

const counts: BillCounts = { durableObjectRequests: 0, kvReads: 0, kvWrites: 0, kvDeletes: 0, kvLists: 0 };

/** This isolate's counts since it started (or since the last reset). */
export function readCounts(reset: boolean): BillCounts {
  const now = { ...counts };
  if (reset) for (const key of Object.keys(counts) as (keyof BillCounts)[]) counts[key] = 0;
  return now;
}

const KV_METHODS: Record<string, keyof BillCounts> = {
  get: "kvReads",
  getWithMetadata: "kvReads",
  put: "kvWrites",
  delete: "kvDeletes",
  list: "kvLists",
};

/** Each method call on the stub is one Durable Object request. */
function countedStub<T extends object>(stub: T): T {
  return new Proxy(stub, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (typeof property === "symbol" || property === "then" || typeof value !== "function") return value;
      return (...args: unknown[]) => {
        counts.durableObjectRequests++;
        return Reflect.apply(value, target, args);
      };
    },
  });
}

/** Runtime bindings check `this`: every method is called on the binding itself, never on the proxy. */
function countedBinding<T extends object>(binding: T, kind: "kv" | "durableObjects"): T {
  return new Proxy(binding, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (typeof value !== "function") return value;
      if (kind === "kv") {
        const counter = typeof property === "string" ? KV_METHODS[property] : undefined;
        if (counter === undefined) return value.bind(target);
        return (...args: unknown[]) => {
          counts[counter]++;
          return Reflect.apply(value, target, args);
        };
      }
      if (property !== "get" && property !== "getByName") return value.bind(target);
      return (...args: unknown[]) => countedStub(Reflect.apply(value, target, args) as object);
    },
  });
}

/** `env` with its KV and Durable Object bindings counted. */
export function countedEnv<E extends object>(env: E, bindings: CountedBindings): E {
  const wrapped = new Map<string, unknown>();
  return new Proxy(env, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (typeof property !== "string" || typeof value !== "object" || value === null) return value;
      const kind = bindings.kv.includes(property)
        ? "kv"
        : bindings.durableObjects.includes(property)
          ? "durableObjects"
          : undefined;
      if (kind === undefined) return value;
      if (!wrapped.has(property)) wrapped.set(property, countedBinding(value, kind));
      return wrapped.get(property);
    },
  });
}

type Constructor = new (ctx: unknown, env: object) => object;

/**
 * A subclass of an exported entrypoint or Durable Object class whose `env` is counted, or a default
 * fetch handler whose `env` is; anything else is returned as it is.
 */
export function counted<T>(exported: T, bindings: CountedBindings): T {
  if (typeof exported === "object" && exported !== null) {
    // A default export handler ({ fetch } or a Hono app): its fetch gets the counted env.
    const handler = exported as { fetch?: unknown };
    const fetch = handler.fetch;
    if (typeof fetch !== "function") return exported;
    return {
      fetch: (request: Request, env: object, ctx: unknown) =>
        Reflect.apply(fetch, handler, [request, countedEnv(env, bindings), ctx]),
    } as T;
  }
  if (typeof exported !== "function" || exported.prototype === undefined) return exported;
  const Base = exported as unknown as Constructor;
  class Counted extends Base {
    constructor(ctx: unknown, env: object) {
      super(ctx, countedEnv(env, bindings));
    }
  }
  Object.defineProperty(Counted, "name", { value: Base.name });
  return Counted as unknown as T;
}
