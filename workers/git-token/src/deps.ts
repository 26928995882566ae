import { type Database, type DatabaseHandle, openDatabase } from "@gitcred/db";
import type { Logger } from "@gitcred/utils";
import { loadConfig, type ServiceConfig } from "./config.ts";
import type { ConnectionChanges } from "./connection/connection-changes.ts";
import { log } from "./log.ts";
import type { RefreshJournal } from "./user/refresh-journal.ts";
import type { RefreshOutcome } from "./user/refresh-outcome.ts";
import type { RefreshDeps } from "./user/refresh-user-token-row.ts";

/** The bindings the logic modules use. */
export interface WorkerBindings {
  DATABASE_URL?: string;
  DB_WS_PROXY?: string;
  TOKEN_CACHE: KVNamespace;
}

/**
 * What one RPC call's logic gets: configuration, a lazily opened database, the KV cache, the logger, the
 * caller, and the per-person calls (refresh, connection changes) that the person's Durable Object
 * serializes in production. Logic modules take this
 * instead of `env`, so each is a plain function exercised with real dependencies in tests.
 */
export interface ServiceDeps {
  config: ServiceConfig;
  /** Opens the per-call pool on first use; closed by `finish()`. */
  db(): Database;
  kv: KVNamespace;
  logger: Logger;
  /** The calling worker from the binding's `props` ("unknown" when none). */
  caller: string;
  waitUntil(promise: Promise<unknown>): void;
  /**
   * Work that goes on after the answer and may use `db()`: kept alive by `waitUntil`, and the call's
   * pool is ended only once it is done (ending it at the answer would cut the work's query).
   */
  afterAnswer(work: Promise<unknown>): void;
  now(): number;
  /**
   * Refreshes the person's token through their UserTokenRefresher (one in flight per person); with
   * `rejectedVersion`, also a token GitHub rejected although it is not expiring.
   */
  refreshUserToken(userId: string, options?: RefreshOptions): Promise<RefreshOutcome>;
  /**
   * Stores or removes a person's connection one change at a time per person (through their Durable
   * Object in production): a disconnect revokes the person's whole grant at GitHub, which would kill the
   * token of a connect racing it if the two interleaved.
   */
  connections: ConnectionChanges;
}

/** Options of `refreshUserToken`. */
export interface RefreshOptions {
  /** The row version whose access token GitHub confirmed dead. */
  rejectedVersion?: number;
}

export interface DepsHandle {
  deps: ServiceDeps;
  /** Ends the database pool (if one was opened) through `waitUntil`, after any `afterAnswer` work. */
  finish(): void;
}

/** Bindings and settings the dependency factories read. */
export type DepsEnv = WorkerBindings & Parameters<typeof loadConfig>[0];

/**
 * One per-call pool, opened on first use. Ending it makes every connection report "Network connection
 * lost": expected then, so only errors before `close()` are logged (the one place this guard lives).
 */
function lazyDatabase(env: DepsEnv, logger: Logger): { db(): Database; close(): Promise<void> | undefined } {
  let handle: DatabaseHandle | undefined;
  let closing = false;
  return {
    db: () => {
      handle ??= openDatabase(env, (error) => {
        if (!closing) logger.warn("database connection error", { error });
      });
      return handle.db;
    },
    close: () => {
      closing = true;
      return handle?.close();
    },
  };
}

/**
 * Builds the dependencies of one call. The database pool is opened only if the call needs it (a warm
 * installation token is served without Postgres) and is always ended with `waitUntil(handle.close())`.
 * `now` is the clock every expiry decision reads: production passes `Date.now`, tests may pass another.
 */
export function createDeps(
  env: DepsEnv,
  options: {
    caller: string;
    now(): number;
    waitUntil(promise: Promise<unknown>): void;
    refreshUserToken(userId: string, options?: RefreshOptions): Promise<RefreshOutcome>;
    connections: ConnectionChanges;
    logger?: Logger;
  },
): DepsHandle {
  const logger = options.logger ?? log.child({ caller: options.caller });
  const database = lazyDatabase(env, logger);
  const after: Promise<unknown>[] = [];
  const deps: ServiceDeps = {
    config: loadConfig(env),
    db: database.db,
    kv: env.TOKEN_CACHE,
    logger,
    caller: options.caller,
    waitUntil: options.waitUntil,
    afterAnswer: (work) => {
      after.push(work);
    },
    now: options.now,
    refreshUserToken: options.refreshUserToken,
    connections: options.connections,
  };
  return {
    deps,
    finish: () => {
      if (after.length === 0) {
        const closed = database.close();
        if (closed !== undefined) options.waitUntil(closed);
        return;
      }
      // The work may open the pool only now (lazily), so it is ended after the work, whatever it did.
      options.waitUntil(Promise.allSettled(after).then(() => database.close()));
    },
  };
}

/**
 * The dependencies of `refreshUserTokenRow` from the worker's bindings: the refresher object builds them
 * for each refresh, and tests build a second refresher's with the same function. `close()` ends the pool.
 */
export async function refreshDepsFrom(
  env: DepsEnv,
  options: {
    caller: string;
    logger: Logger;
    now(): number;
    waitUntil(promise: Promise<unknown>): void;
    journal: RefreshJournal;
  },
): Promise<{ deps: RefreshDeps; close(): Promise<void> }> {
  const database = lazyDatabase(env, options.logger);
  const config = loadConfig(env);
  return {
    deps: {
      db: database.db(),
      keyring: await config.keyring,
      github: config.github,
      oauth: config.oauth,
      logger: options.logger,
      caller: options.caller,
      now: options.now,
      waitUntil: options.waitUntil,
      journal: options.journal,
    },
    close: async () => {
      await database.close();
    },
  };
}
