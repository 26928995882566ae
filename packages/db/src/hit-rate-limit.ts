import { sql } from "drizzle-orm";
import type { Database } from "./open-database.ts";

export interface RateLimitInput {
  /** What is counted, e.g. `device-start:user:<id>`. */
  bucket: string;
  /** Whose counter this is (erasure deletes a person's counters). */
  userId: string;
  /** How many hits a window allows. */
  limit: number;
  windowSeconds: number;
  /** Injected, so tests decide when a window ends. */
  now: Date;
}

export type RateLimitResult = { ok: true; count: number } | { ok: false; retryAfterSeconds: number };

/**
 * Counts one hit in a fixed window, refusing it past `limit`. One statement: `INSERT ... ON CONFLICT DO
 * UPDATE ... WHERE` locks the bucket's row, so concurrent hits are counted one after another and twenty
 * requests at once cannot all read "under the limit" (a read-then-write would let them).
 */
export async function hitRateLimit(db: Database, input: RateLimitInput): Promise<RateLimitResult> {
  const now = input.now.toISOString();
  const windowStart = new Date(input.now.getTime() - input.windowSeconds * 1000).toISOString();
  const counted = await db.execute<{ count: number }>(sql`
    insert into rate_limits (bucket, user_id, window_started_at, count)
    values (${input.bucket}, ${input.userId}, ${now}, 1)
    on conflict (bucket) do update set
      count = case when rate_limits.window_started_at <= ${windowStart} then 1 else rate_limits.count + 1 end,
      window_started_at = case when rate_limits.window_started_at <= ${windowStart}
        then excluded.window_started_at else rate_limits.window_started_at end
    where rate_limits.window_started_at <= ${windowStart} or rate_limits.count < ${input.limit}
    returning count`);
  const [row] = counted.rows;
  if (row !== undefined) return { ok: true, count: Number(row.count) };
  const current = await db.execute<{ window_started_at: string | Date }>(
    sql`select window_started_at from rate_limits where bucket = ${input.bucket}`,
  );
  const started = current.rows[0]?.window_started_at;
  const endsAt =
    (started === undefined ? input.now.getTime() : new Date(started).getTime()) + input.windowSeconds * 1000;
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((endsAt - input.now.getTime()) / 1000)) };
}
