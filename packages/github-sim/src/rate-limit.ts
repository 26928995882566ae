/**
 * Primary rate limits: an hourly window per bucket (user, installation, App, client address) that
 * opens at the first request, and the `x-ratelimit-*` headers GitHub puts on every API answer.
 */
import type { SimStore } from "./state.ts";

/** The state of a bucket after counting one request. */
export interface RateStatus {
  limit: number;
  remaining: number;
  used: number;
  reset: number;
  exceeded: boolean;
}

const WINDOW_SECONDS = 3600;

/** Counts one request against `bucket` (unless `count` is false) and reports the window. */
export function consume(store: SimStore, bucket: string, limit: number, count = true): RateStatus {
  const now = store.clock.nowSeconds();
  let w = store.rateWindows.get(bucket);
  if (!w || w.resetAt <= now) w = { resetAt: now + WINDOW_SECONDS, used: 0 };
  const exceeded = count && w.used >= limit;
  if (count && !exceeded) w = { ...w, used: w.used + 1 };
  if (count) store.rateWindows.set(bucket, w);
  return { limit, remaining: Math.max(0, limit - w.used), used: w.used, reset: w.resetAt, exceeded };
}

/** The `x-ratelimit-*` headers for a status. */
export function rateHeaders(s: RateStatus, resource = "core"): Record<string, string> {
  return {
    "x-ratelimit-limit": String(s.limit),
    "x-ratelimit-remaining": String(s.remaining),
    "x-ratelimit-reset": String(s.reset),
    "x-ratelimit-used": String(s.used),
    "x-ratelimit-resource": resource,
  };
}
