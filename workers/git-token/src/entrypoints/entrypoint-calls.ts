import type { GitTokenCallerProps } from "@gitcred/client";
import { type Logger, parseInput } from "@gitcred/utils";
import type * as z from "zod";
import { loadConfig, type ServiceConfig } from "../config.ts";
import { createDeps, type DepsHandle, type ServiceDeps } from "../deps.ts";
import { log } from "../log.ts";
import { boundaryFailure } from "../rpc-boundary.ts";
import { throughUserObject } from "../through-user-object.ts";

const CALLER = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Child loggers by caller, entrypoint and method: a handful per deployment, bounded all the same. */
const loggers = new Map<string, Logger>();
const MAX_LOGGERS = 256;

/**
 * The logger of one (caller, entrypoint, method), built once per isolate: a child logger redacts its
 * fields when it is made, which cost a measurable share of a warm call when done per call (P2).
 */
function loggerFor(caller: string, entrypoint: string, method: string): Logger {
  const key = `${caller}\n${entrypoint}\n${method}`;
  let logger = loggers.get(key);
  if (logger === undefined) {
    if (loggers.size >= MAX_LOGGERS) loggers.clear();
    logger = log.child({ caller, entrypoint, method });
    loggers.set(key, logger);
  }
  return logger;
}

export type CallFailure = {
  ok: false;
  reason: "invalid_request" | "internal_error" | "database_unavailable";
  message?: string;
};

/**
 * How an entrypoint's methods run: the caller from the binding's props, the validated call inside the
 * RPC boundary (nothing thrown across RPC), an answer from memory alone. An entrypoint holds one in an
 * instance field, never as methods of its own: Workers RPC exposes every method on an entrypoint's
 * prototype chain (TypeScript's `protected` and `private` are not JavaScript's), so as methods these
 * were callable by every caller of every entrypoint, with the caller's own callbacks: `callParsed(m, v,
 * body)` handed `body` the call's dependencies (connection store, database, the user's refresher), and
 * only a Promise in them that cannot be serialized kept that from working. Instance fields are not
 * reachable over RPC.
 */
export class EntrypointCalls {
  readonly #env: Env;
  readonly #ctx: ExecutionContext<GitTokenCallerProps>;
  readonly #entrypoint: string;

  constructor(env: Env, ctx: ExecutionContext<GitTokenCallerProps>, entrypoint: string) {
    this.#env = env;
    this.#ctx = ctx;
    this.#entrypoint = entrypoint;
  }

  /** The calling worker from the binding's props; only a short id-like string is believed. */
  caller(): string {
    const caller = (this.#ctx.props as GitTokenCallerProps | undefined)?.caller;
    return typeof caller === "string" && CALLER.test(caller) ? caller : "unknown";
  }

  /** Validates `input`, then runs `body` with fresh dependencies inside the RPC boundary. */
  call<S extends z.ZodType, R>(
    method: string,
    schema: S,
    input: unknown,
    body: (deps: ServiceDeps, value: z.output<S>) => Promise<R>,
  ): Promise<R | CallFailure> {
    const parsed = parseInput(schema, input);
    if (!parsed.ok) return Promise.resolve(parsed);
    return this.callParsed(method, parsed.value as z.output<S>, body);
  }

  /**
   * `body` on an input already validated, with fresh dependencies inside the RPC boundary: for a method
   * that first tried to answer from memory alone (`memoryOnly`) and must now take the long way.
   */
  async callParsed<V, R>(
    method: string,
    value: V,
    body: (deps: ServiceDeps, value: V) => Promise<R>,
  ): Promise<R | CallFailure> {
    const caller = this.caller();
    const logger = loggerFor(caller, this.#entrypoint, method);
    // The boundary inline (`boundaryFailure`, not `runRpc`): two promise turns fewer on every call (P2).
    let handle: DepsHandle | undefined;
    try {
      const ctx = this.#ctx;
      handle = createDeps(this.#env, {
        caller,
        logger,
        now: Date.now,
        waitUntil: (p) => ctx.waitUntil(p),
        ...throughUserObject(this.#env.USER_TOKEN_REFRESHER, caller),
      });
      return await body(handle.deps, value);
    } catch (error) {
      return boundaryFailure(logger, method, error);
    } finally {
      handle?.finish();
    }
  }

  /**
   * An answer made from this isolate's memory alone, before any per-call setup (caller, logger,
   * dependencies, database handle): what a warm call needs is the configuration and the clock. A throw
   * is not an answer (undefined: the caller takes the long way, inside the RPC boundary), so nothing is
   * thrown across RPC from here either.
   */
  memoryOnly<R>(
    answer: (memory: { config: ServiceConfig; now: () => number }) => R | undefined,
  ): R | undefined {
    try {
      return answer({ config: loadConfig(this.#env), now: Date.now });
    } catch {
      return undefined;
    }
  }
}
