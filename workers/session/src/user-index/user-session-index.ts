import { DurableObject } from "cloudflare:workers";
import type { SessionEnv } from "../env.ts";
import { createSessionIndex, type SessionIndex } from "./session-index.ts";

/**
 * One per user (named by user id): the ids of their live sessions, so `endSessionsForUser` can find
 * them. A thin shell over `createSessionIndex`; called by SessionService only.
 */
export class UserSessionIndex extends DurableObject<SessionEnv> {
  private readonly index: SessionIndex;

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
}
