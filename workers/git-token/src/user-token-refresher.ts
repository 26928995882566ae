import { DurableObject } from "cloudflare:workers";
import { openDatabase } from "@gitcred/db";
import { loadConfig } from "./config.ts";
import { log } from "./log.ts";
import { runRpc } from "./rpc-boundary.ts";
import type { RefreshOutcome } from "./user/refresh-outcome.ts";
import { refreshUserTokenRow } from "./user/refresh-user-token-row.ts";

/** What GitTokenService asks of a person's refresher (plain data: crosses DO RPC). */
export interface RefreshInput {
  userId: string;
  /** The calling worker, for audit events. */
  caller: string;
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

/**
 * One per platform user (named by the user id): the only place that user's single-use GitHub refresh
 * token is spent. Awaiting GitHub inside a Durable Object lets other calls in, so the refresh in flight
 * is held as a promise and every concurrent caller gets its result: 50 callers, one refresh. The logic
 * lives in `refreshUserTokenRow`; nothing is ever written to this object's storage (no token at rest
 * here, and the Postgres row is the only truth).
 */
export class UserTokenRefresher extends DurableObject<Env> {
  private inFlight: InFlightRefresh | undefined;

  /**
   * The user's current usable token, refreshing it first if it is within 10 minutes of expiry, or if it
   * is still the row version `rejectedVersion` whose token GitHub rejected (see `refreshUserTokenRow`).
   */
  async refresh(input: RefreshInput): Promise<RefreshOutcome> {
    const name = this.ctx.id.name;
    if (name !== undefined && name !== input.userId) {
      return { ok: false, reason: "internal_error", message: "refresher called for another user" };
    }
    let outcome: RefreshOutcome | undefined;
    for (let round = 0; round < MAX_JOINS; round++) {
      const running = this.inFlight ?? this.start(input);
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

  private start(input: RefreshInput): InFlightRefresh {
    const running: InFlightRefresh = {
      rejectedVersion: input.rejectedVersion,
      promise: this.run(input).finally(() => {
        if (this.inFlight === running) this.inFlight = undefined;
      }),
    };
    this.inFlight = running;
    return running;
  }

  private async run(input: RefreshInput): Promise<RefreshOutcome> {
    const logger = log.child({ component: "UserTokenRefresher", caller: input.caller });
    let closing = false;
    const handle = openDatabase(this.env, (error) => {
      // Ending the pool makes every connection report "Network connection lost": expected.
      if (!closing) logger.warn("database connection error", { error });
    });
    try {
      return await runRpc(logger, "refresh", async () => {
        const config = loadConfig(this.env);
        return refreshUserTokenRow(
          {
            db: handle.db,
            keyring: await config.keyring,
            github: config.github,
            oauth: config.oauth,
            logger,
            caller: input.caller,
            now: Date.now,
            waitUntil: (p) => this.ctx.waitUntil(p),
          },
          input.userId,
          input.rejectedVersion,
        );
      });
    } finally {
      closing = true;
      this.ctx.waitUntil(handle.close());
    }
  }
}
