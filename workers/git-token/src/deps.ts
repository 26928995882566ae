import { type Database, type DatabaseHandle, openDatabase } from "@gitcred/db";
import type { Logger } from "@gitcred/utils";
import { loadConfig, type ServiceConfig } from "./config.ts";
import type { ConnectionChanges } from "./connection/connection-changes.ts";
import { log } from "./log.ts";
import type { RefreshOutcome } from "./user/refresh-outcome.ts";

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
  /** Ends the database pool (if one was opened) through `waitUntil`. */
  finish(): void;
}

/**
 * Builds the dependencies of one call. The database pool is opened only if the call needs it (a warm
 * installation token is served without Postgres) and is always ended with `waitUntil(handle.close())`.
 */
export function createDeps(
  env: WorkerBindings & Parameters<typeof loadConfig>[0],
  options: {
    caller: string;
    waitUntil(promise: Promise<unknown>): void;
    refreshUserToken(userId: string, options?: RefreshOptions): Promise<RefreshOutcome>;
    connections: ConnectionChanges;
    logger?: Logger;
  },
): DepsHandle {
  const logger = options.logger ?? log.child({ caller: options.caller });
  let handle: DatabaseHandle | undefined;
  // Ending the pool makes every connection report "Network connection lost": expected, not worth a line.
  let closing = false;
  const deps: ServiceDeps = {
    config: loadConfig(env),
    db: () => {
      handle ??= openDatabase(env, (error) => {
        if (!closing) logger.warn("database connection error", { error });
      });
      return handle.db;
    },
    kv: env.TOKEN_CACHE,
    logger,
    caller: options.caller,
    waitUntil: options.waitUntil,
    now: Date.now,
    refreshUserToken: options.refreshUserToken,
    connections: options.connections,
  };
  return {
    deps,
    finish: () => {
      closing = true;
      if (handle !== undefined) options.waitUntil(handle.close());
    },
  };
}
