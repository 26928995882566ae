import { DurableObject } from "cloudflare:workers";
import { openDatabase } from "@gitcred/db";
import { loadConfig } from "./config.ts";
import { log } from "./log.ts";
import { runRpc } from "./rpc-boundary.ts";
import type { RefreshOutcome } from "./user/refresh-outcome.ts";
import { refreshUserTokenRow } from "./user/refresh-user-token-row.ts";

/**
 * One per platform user (named by the user id): the only place that user's single-use GitHub refresh
 * token is spent. Awaiting GitHub inside a Durable Object lets other calls in, so the refresh in flight
 * is held as a promise and every concurrent caller gets its result: 50 callers, one refresh. The logic
 * lives in `refreshUserTokenRow`; nothing is ever written to this object's storage (no token at rest
 * here, and the Postgres row is the only truth).
 */
export class UserTokenRefresher extends DurableObject<Env> {
  private inFlight: Promise<RefreshOutcome> | undefined;

  /** The user's current usable token, refreshing it first if it is within 10 minutes of expiry. */
  async refresh(input: { userId: string; caller: string }): Promise<RefreshOutcome> {
    const name = this.ctx.id.name;
    if (name !== undefined && name !== input.userId) {
      return { ok: false, reason: "internal_error", message: "refresher called for another user" };
    }
    if (this.inFlight === undefined) {
      this.inFlight = this.run(input).finally(() => {
        this.inFlight = undefined;
      });
    }
    return this.inFlight;
  }

  private async run(input: { userId: string; caller: string }): Promise<RefreshOutcome> {
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
        );
      });
    } finally {
      closing = true;
      this.ctx.waitUntil(handle.close());
    }
  }
}
