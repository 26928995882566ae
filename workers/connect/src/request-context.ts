import { type DatabaseHandle, openDatabase } from "@gitcred/db";
import { createLogger, errorFields, type Keyring, type Logger, parseEncryptionKeys } from "@gitcred/utils";
import type { Context } from "hono";
import { type ConnectConfig, readConnectConfig } from "./connect-config.ts";

export type AppEnv = {
  Bindings: Env;
  Variables: { config: ConnectConfig; log: Logger };
};

const baseLog = createLogger({ worker: "gitcred-connect" });

/** Per-request logger carrying method and path only: query strings may hold codes and states. */
export function requestLog(request: Request): Logger {
  return baseLog.child({ method: request.method, path: new URL(request.url).pathname });
}

export function config(c: Context<AppEnv>): ConnectConfig {
  return readConnectConfig(c.env);
}

/** A database handle for this request, ended after the response with waitUntil. */
export function database(c: Context<AppEnv>): DatabaseHandle {
  const log = c.get("log");
  const handle = openDatabase(c.env, (error) =>
    log.warn("database client error", { error: errorFields(error) }),
  );
  c.executionCtx.waitUntil(handle.close());
  return handle;
}

let keyringCache: { raw: string; keyring: Promise<Keyring> } | undefined;

/** The token keyring, parsed once per isolate (and again only if the setting changes). */
export function keyring(env: Env): Promise<Keyring> {
  const raw = env.TOKEN_ENCRYPTION_KEYS ?? "";
  if (keyringCache === undefined || keyringCache.raw !== raw) {
    keyringCache = { raw, keyring: parseEncryptionKeys(raw) };
  }
  return keyringCache.keyring;
}
