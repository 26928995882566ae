import { type DatabaseHandle, openDatabase } from "@gitcred/db";
import { createLogger, errorFields, type Keyring, type Logger, parseEncryptionKeys } from "@gitcred/utils";
import type { Context, MiddlewareHandler } from "hono";
import { type ConnectConfig, readConnectConfig } from "./connect-config.ts";

export type AppEnv = {
  Bindings: Env;
  Variables: {
    config: ConnectConfig;
    log: Logger;
    db: DatabaseHandle | undefined;
    /** The origin of the platform account's avatar this page shows; the CSP allows images from it. */
    avatarOrigin: string | undefined;
  };
};

const baseLog = createLogger({ worker: "gitcred-connect" });

/** Per-request logger carrying method and path only: query strings may hold codes and states. */
export function requestLog(request: Request): Logger {
  return baseLog.child({ method: request.method, path: new URL(request.url).pathname });
}

/** This request's database handle, opened on first use; `withRequestContext` ends it after the response. */
export function database(c: Context<AppEnv>): DatabaseHandle {
  let handle = c.get("db");
  if (handle === undefined) {
    const log = c.get("log");
    handle = openDatabase(c.env, (error) => log.warn("database client error", { error: errorFields(error) }));
    c.set("db", handle);
  }
  return handle;
}

/** Sets config and logger for the request, and ends its database pool once the response is made. */
export const withRequestContext: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set("config", readConnectConfig(c.env));
  c.set("log", requestLog(c.req.raw));
  try {
    await next();
  } finally {
    const handle = c.get("db");
    if (handle !== undefined) c.executionCtx.waitUntil(handle.close());
  }
};

let keyringCache: { raw: string; keyring: Promise<Keyring> } | undefined;

/** The token keyring, parsed once per isolate (and again only if the setting changes). */
export function keyring(env: Env): Promise<Keyring> {
  const raw = env.TOKEN_ENCRYPTION_KEYS ?? "";
  if (keyringCache === undefined || keyringCache.raw !== raw) {
    keyringCache = { raw, keyring: parseEncryptionKeys(raw) };
  }
  return keyringCache.keyring;
}
