/**
 * A Durable Object that does the least a session's object does: it is created, and writes one record.
 * P4 creates as many of them, at the same concurrency, as it prepares sessions, so the report can tell
 * the runtime's cost of a new object (local workerd: an SQLite database per object) from gitcred's own.
 */
import { DurableObject } from "cloudflare:workers";

/** A new object per name; `touch` commits one record. */
export class BenchObject extends DurableObject {
  async touch(): Promise<number> {
    await this.ctx.storage.put("record", { createdAt: Date.now() });
    return 1;
  }
}
