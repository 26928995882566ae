import { DurableObject } from "cloudflare:workers";
import type { StoreConnectionResult } from "@gitcred/client";
import type { UserTokenSet } from "@gitcred/github";
import type { RemovedConnection } from "./connection/connection-changes.ts";
import { removeConnection } from "./connection/remove-connection.ts";
import { storeConnectionFromTokens } from "./connection/store-connection.ts";
import { createDeps, refreshDepsFrom, type ServiceDeps } from "./deps.ts";
import { log } from "./log.ts";
import { type BoundaryFailure, runRpc } from "./rpc-boundary.ts";
import { SerialQueue } from "./serial-queue.ts";
import { durableObjectJournal } from "./user/refresh-journal.ts";
import type { RefreshOutcome } from "./user/refresh-outcome.ts";
import { refreshUserTokenRow } from "./user/refresh-user-token-row.ts";
import { replayPendingRefresh } from "./user/store-refreshed-pair.ts";
import { REFRESH_ATTEMPTS_PER_HOUR, takeRefreshAttempt } from "./user/take-refresh-attempt.ts";

/** What GitTokenService asks of a person's object (plain data: crosses DO RPC). */
export interface UserObjectInput {
  userId: string;
  /** The calling worker, for audit events. */
  caller: string;
}

/** Input of `refresh`. */
export interface RefreshInput extends UserObjectInput {
  /** A row version whose access token GitHub confirmed dead: refresh it even if it is not expiring. */
  rejectedVersion?: number;
}

/** The refresh in flight, and whether it was forced for a rejected row version. */
interface InFlightRefresh {
  promise: Promise<RefreshOutcome>;
  rejectedVersion: number | undefined;
}

/** How often a forced refresh joins runs already in flight before answering what it has. */
const MAX_JOINS = 3;

const WRONG_OBJECT = {
  ok: false,
  reason: "internal_error",
  message: "object called for another user",
} as const;

/**
 * One per platform user (named by the user id). The only place that user's single-use GitHub refresh
 * token is spent: awaiting GitHub inside a Durable Object lets other calls in, so the refresh in flight
 * is held as a promise and every concurrent caller gets its result (50 callers, one refresh). The new
 * pair is written ahead, encrypted, to this object's storage before Postgres (`refresh-journal.ts`), so a
 * cut database write never loses it. Connection changes (connect, disconnect) run here one at a time.
 * The logic lives in plain functions; the Postgres row stays the truth.
 */
export class UserTokenRefresher extends DurableObject<Env> {
  private inFlight: InFlightRefresh | undefined;
  private readonly connectionChanges = new SerialQueue();

  /**
   * The user's current usable token, refreshing it first if it is within 10 minutes of expiry, or if it
   * is still the row version `rejectedVersion` whose token GitHub rejected (see `refreshUserTokenRow`).
   */
  async refresh(input: RefreshInput): Promise<RefreshOutcome> {
    if (!this.#isFor(input.userId)) return WRONG_OBJECT;
    let outcome: RefreshOutcome | undefined;
    for (let round = 0; round < MAX_JOINS; round++) {
      const running = this.inFlight ?? this.#start(input);
      outcome = await running.promise;
      // A run that did not know of the rejection may have answered the rejected token itself: run again.
      const stale =
        input.rejectedVersion !== undefined &&
        running.rejectedVersion !== input.rejectedVersion &&
        outcome.ok &&
        outcome.version === input.rejectedVersion;
      if (!stale) return outcome;
    }
    return outcome ?? { ok: false, reason: "internal_error", message: "no refresh ran" };
  }

  /**
   * Stores a new connection from tokens GitHub just issued, after every connection change of this person
   * already under way: a disconnect that revoked the grant these tokens belong to has finished, so
   * `GET /user` refuses them instead of a dead token being stored.
   */
  async storeConnection(input: UserObjectInput & { tokens: UserTokenSet }): Promise<StoreConnectionResult> {
    if (!this.#isFor(input.userId)) return WRONG_OBJECT;
    return this.connectionChanges.run(() =>
      this.#withDeps(input.caller, "storeConnection", (deps) =>
        storeConnectionFromTokens(deps, input.userId, input.tokens),
      ),
    );
  }

  /**
   * Removes the connection (row deleted, grant revoked) after every connection change under way. A
   * refresh this object journaled but could not store is finished first: stored if it is this
   * connection's (so the grant is revoked with its live token), else revoked at GitHub. Left behind, an
   * erased or disconnected person's valid pair stayed in this object's storage with its grant alive,
   * and a later connect's first refresh could replay it.
   */
  async removeConnection(input: UserObjectInput): Promise<RemovedConnection | BoundaryFailure> {
    if (!this.#isFor(input.userId)) return WRONG_OBJECT;
    return this.connectionChanges.run(() =>
      this.#withDeps(input.caller, "removeConnection", async (deps) => {
        await replayPendingRefresh(
          {
            db: deps.db(),
            keyring: await deps.config.keyring,
            github: deps.config.github,
            oauth: deps.config.oauth,
            logger: deps.logger,
            journal: durableObjectJournal(this.ctx.storage),
            waitUntil: (p) => this.ctx.waitUntil(p),
          },
          input.userId,
        );
        return removeConnection(deps, input.userId);
      }),
    );
  }

  #isFor(userId: string): boolean {
    const name = this.ctx.id.name;
    return name === undefined || name === userId;
  }

  /** Runs connection logic with per-call dependencies whose per-person calls stay inside this object. */
  async #withDeps<R>(
    caller: string,
    method: string,
    body: (deps: ServiceDeps) => Promise<R>,
  ): Promise<R | BoundaryFailure> {
    const logger = log.child({ component: "UserTokenRefresher", caller, method });
    return runRpc(logger, method, async () => {
      const { deps, finish } = createDeps(this.env, {
        caller,
        logger,
        now: Date.now,
        waitUntil: (p) => this.ctx.waitUntil(p),
        refreshUserToken: (userId, options) =>
          this.refresh({
            userId,
            caller,
            ...(options?.rejectedVersion === undefined ? {} : { rejectedVersion: options.rejectedVersion }),
          }),
        // Already serialized here: the logic called from this object never asks for another change.
        connections: {
          store: (userId, tokens) => storeConnectionFromTokens(deps, userId, tokens),
          remove: (userId) => removeConnection(deps, userId),
        },
      });
      try {
        return await body(deps);
      } finally {
        finish();
      }
    });
  }

  #start(input: RefreshInput): InFlightRefresh {
    const running: InFlightRefresh = {
      rejectedVersion: input.rejectedVersion,
      promise: this.#run(input).finally(() => {
        if (this.inFlight === running) this.inFlight = undefined;
      }),
    };
    this.inFlight = running;
    return running;
  }

  async #run(input: RefreshInput): Promise<RefreshOutcome> {
    const logger = log.child({ component: "UserTokenRefresher", caller: input.caller });
    // Capped per person per hour: a caller looping on a dead grant must not hammer GitHub's OAuth host.
    const budget = await takeRefreshAttempt(this.ctx.storage, Date.now());
    if (!budget.ok) {
      logger.warn("refresh budget spent", { userId: input.userId, cap: REFRESH_ATTEMPTS_PER_HOUR });
      return {
        ok: false,
        reason: "rate_limited",
        message: `the person's refresh budget (${REFRESH_ATTEMPTS_PER_HOUR} an hour) is spent`,
        retryAfterSeconds: budget.retryAfterSeconds,
      };
    }
    let close: (() => Promise<void>) | undefined;
    try {
      return await runRpc(logger, "refresh", async () => {
        const built = await refreshDepsFrom(this.env, {
          caller: input.caller,
          logger,
          now: Date.now,
          waitUntil: (p) => this.ctx.waitUntil(p),
          journal: durableObjectJournal(this.ctx.storage),
        });
        close = built.close;
        return refreshUserTokenRow(built.deps, input.userId, input.rejectedVersion);
      });
    } finally {
      if (close !== undefined) this.ctx.waitUntil(close());
    }
  }
}
