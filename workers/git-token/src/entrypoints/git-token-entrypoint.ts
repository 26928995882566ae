import { WorkerEntrypoint } from "cloudflare:workers";
import type { GitTokenCallerProps, WorkerHealth } from "@gitcred/client";
import { pingDatabase } from "@gitcred/db";
import { appQuotaGate, githubConcurrency } from "@gitcred/github";
import { type Logger, parseInput } from "@gitcred/utils";
import type * as z from "zod";
import { loadConfig, type ServiceConfig } from "../config.ts";
import { createDeps, type DepsHandle, type ServiceDeps } from "../deps.ts";
import { log } from "../log.ts";
import { boundaryFailure } from "../rpc-boundary.ts";
import { throughUserObject } from "../through-user-object.ts";
import { lockoutHold } from "../user/lockout-hold.ts";

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

type CallFailure = {
  ok: false;
  reason: "invalid_request" | "internal_error" | "database_unavailable";
  message?: string;
};

/**
 * What every entrypoint of git-token shares: the caller from the binding's props, the validated call
 * inside the RPC boundary (nothing thrown across RPC) and `health`. The entrypoints themselves differ
 * only in which methods they expose: that list is the authorization, so a method is never added to an
 * entrypoint "just in case".
 */
export abstract class GitTokenEntrypoint extends WorkerEntrypoint<Env, GitTokenCallerProps> {
  /** Which entrypoint this is, in every log line of its calls. */
  protected abstract readonly entrypoint: string;

  /** The calling worker from the binding's props; only a short id-like string is believed. */
  private caller(): string {
    const caller = (this.ctx.props as GitTokenCallerProps | undefined)?.caller;
    return typeof caller === "string" && CALLER.test(caller) ? caller : "unknown";
  }

  /** Validates `input`, then runs `body` with fresh dependencies inside the RPC boundary. */
  protected call<S extends z.ZodType, R>(
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
  protected async callParsed<V, R>(
    method: string,
    value: V,
    body: (deps: ServiceDeps, value: V) => Promise<R>,
  ): Promise<R | CallFailure> {
    const caller = this.caller();
    const logger = loggerFor(caller, this.entrypoint, method);
    // The boundary inline (`boundaryFailure`, not `runRpc`): two promise turns fewer on every call (P2).
    let handle: DepsHandle | undefined;
    try {
      handle = createDeps(this.env, {
        caller,
        logger,
        now: Date.now,
        waitUntil: (p) => this.ctx.waitUntil(p),
        ...throughUserObject(this.env.USER_TOKEN_REFRESHER, caller),
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
  protected memoryOnly<R>(
    answer: (memory: { config: ServiceConfig; now: () => number }) => R | undefined,
  ): R | undefined {
    try {
      return answer({ config: loadConfig(this.env), now: Date.now });
    } catch {
      return undefined;
    }
  }

  /**
   * Liveness for the suite's /healthz: this worker and its database (`ok`), plus whether its settings
   * are usable (reported, so a missing key or App shows up on /healthz without taking the suite down).
   */
  async health(): Promise<WorkerHealth> {
    const database = await pingDatabase(this.env, (p) => this.ctx.waitUntil(p));
    const config = loadConfig(this.env);
    const usable = (p: Promise<unknown>, bad: string) =>
      p.then(
        () => "ok",
        () => bad,
      );
    return {
      worker: "gitcred-git-token",
      ok: database.ok,
      database: database.ok ? "ok" : database.reason,
      encryptionKeys: await usable(config.keyring, "missing_or_invalid"),
      githubApp:
        config.app === undefined
          ? "not_configured"
          : await usable(config.app.privateKey, "invalid_private_key"),
      oauthClient: config.oauth === undefined ? "not_configured" : "ok",
      userTokens: config.userTokensEnabled ? "enabled" : "disabled",
      permissionCeiling: config.permissionCeiling instanceof Error ? "invalid" : "ok",
      // This isolate's counts of GitHub's limits being honoured (#15 §5), for operators and the
      // reliability report: the most requests in flight at once (≤ 100), App requests held back by a low
      // quota, and people whose lockout this isolate waited out instead of calling GitHub.
      githubPeakInFlight: String(githubConcurrency.peak),
      appQuotaHeldBack: String(appQuotaGate.heldBack),
      lockoutsSeen: String(lockoutHold.seen),
    };
  }

  override async fetch(): Promise<Response> {
    return new Response("Not found", { status: 404 });
  }
}
