import { DurableObject } from "cloudflare:workers";
import { createLogger } from "@gitcred/utils";
import type { SessionEnv } from "../env.ts";
import { EXPIRY_RETRY_MS, expireDueSessions } from "./expire-due-sessions.ts";
import { createSessionIndex, type SessionIndex } from "./session-index.ts";

/**
 * One per user (named by user id): the ids of their live sessions, so `endSessionsForUser` can find
 * them, and the alarm that ends each at its lifetime. A thin shell over `createSessionIndex` and
 * `expireDueSessions`; called by SessionService and the user's session objects only.
 */
export class UserSessionIndex extends DurableObject<SessionEnv> {
  private readonly index: SessionIndex;
  private readonly log = createLogger({ worker: "gitcred-session", object: "user-session-index" });

  constructor(ctx: DurableObjectState, env: SessionEnv) {
    super(ctx, env);
    this.index = createSessionIndex(ctx.storage, Date.now);
  }

  add(sessionId: string, endsBy: number): Promise<boolean> {
    return this.index.add(sessionId, endsBy);
  }

  list(): Promise<string[]> {
    return this.index.list();
  }

  remove(sessionIds: string[]): Promise<void> {
    return this.index.remove(sessionIds);
  }

  /** Ends the sessions whose lifetime is over; the alarm is then set for the next entry's end. */
  override async alarm(): Promise<void> {
    try {
      const outcome = await expireDueSessions({
        index: this.index,
        expireOne: (sessionId) =>
          this.env.SESSIONS.get(this.env.SESSIONS.idFromName(sessionId)).expireIfOver(),
        now: Date.now,
      });
      if (outcome.failed > 0) this.log.warn("some sessions could not be expired; retrying", outcome);
    } catch (error) {
      this.log.error("session index alarm failed", { error });
      await this.ctx.storage.setAlarm(Date.now() + EXPIRY_RETRY_MS);
    }
  }
}
