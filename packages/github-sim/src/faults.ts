/**
 * Injected faults and latency, matched by method + path pattern (`{param}` = one segment, `*` =
 * anything) and optionally by the `grant_type` of `POST /login/oauth/access_token`.
 *
 * A fault affects the next `times` matching calls (default 1; `times: null` = until cleared):
 * - `status`: answer `status` with `body` (JSON unless a string) and `headers`.
 * - `network`: the connection drops. Behind `startSimulator` the Node front closes the socket without
 *   an answer (clients see ECONNRESET / "fetch failed" / workerd "Network connection lost"). Served
 *   by plain `wrangler dev` (no front), the answer is an empty 502 carrying `x-github-sim-abort: 1`.
 * - `rate_limit`: a primary limit hit, 403 (or `status: 429`) with `x-ratelimit-remaining: 0` and
 *   `x-ratelimit-reset` = now + `retryAfter` (default 3600).
 * - `secondary_rate_limit`: 403 (or 429) with `retry-after: retryAfter` (default 60).
 * `delayMs` waits that long before the fault answers. Latency rules (`addLatency`) delay matching calls
 * that then proceed normally (e.g. 200 ms on every refresh) until cleared.
 */
import { DOC_URLS, ghError, json } from "./http.ts";
import { compilePattern } from "./route-table.ts";
import type { SimStore } from "./state.ts";
import type { FaultRule, LatencyRule } from "./types.ts";

/** Header the worker sets on a network-error answer; the Node front destroys the socket on it. */
export const ABORT_HEADER = "x-github-sim-abort";

const KINDS = ["status", "network", "rate_limit", "secondary_rate_limit"] as const;

function str(v: unknown): string | null {
  return typeof v === "string" && v !== "" ? v : null;
}

function num(v: unknown, fallback: number): number {
  return typeof v === "number" && Number.isFinite(v) ? v : fallback;
}

/** Validates and stores a fault; returns it, or an error message. */
export function addFault(store: SimStore, input: Record<string, unknown>): FaultRule | string {
  const path = str(input.path);
  if (!path) return "path is required (e.g. /login/oauth/access_token or /repos/{owner}/{repo})";
  const kind = (input.kind ?? "status") as FaultRule["kind"];
  if (!KINDS.includes(kind)) return `kind must be one of ${KINDS.join(", ")}`;
  const times = input.times === null ? null : num(input.times, 1);
  const defaultStatus = kind === "status" ? 500 : kind === "network" ? 502 : 403;
  const rule: FaultRule = {
    id: crypto.randomUUID(),
    method: str(input.method)?.toUpperCase() ?? null,
    path,
    grantType: str(input.grantType),
    kind,
    status: num(input.status, defaultStatus),
    body: input.body ?? null,
    headers: (input.headers as Record<string, string> | undefined) ?? {},
    delayMs: num(input.delayMs, 0),
    retryAfter: num(input.retryAfter, kind === "rate_limit" ? 3600 : 60),
    remaining: times,
  };
  store.faults.set(rule.id, rule);
  return rule;
}

/** Validates and stores a latency rule. */
export function addLatency(store: SimStore, input: Record<string, unknown>): LatencyRule | string {
  const path = str(input.path);
  if (!path) return "path is required";
  const delayMs = num(input.delayMs, Number.NaN);
  if (!(delayMs >= 0)) return "delayMs must be a number >= 0";
  const rule: LatencyRule = {
    id: crypto.randomUUID(),
    method: str(input.method)?.toUpperCase() ?? null,
    path,
    grantType: str(input.grantType),
    delayMs,
  };
  store.latency.set(rule.id, rule);
  return rule;
}

function matches(
  rule: { method: string | null; path: string; grantType: string | null },
  method: string,
  path: string,
  grantType: string | null,
): boolean {
  if (rule.method && rule.method !== "*" && rule.method !== method) return false;
  if (rule.grantType && rule.grantType !== grantType) return false;
  return compilePattern(rule.path).test(path);
}

/** Takes the first matching fault (decrementing its count), or null. */
export function takeFault(
  store: SimStore,
  method: string,
  path: string,
  grantType: string | null,
): FaultRule | null {
  for (const rule of store.faults.values()) {
    if (rule.remaining !== null && rule.remaining <= 0) continue;
    if (!matches(rule, method, path, grantType)) continue;
    if (rule.remaining !== null) {
      if (rule.remaining <= 1) store.faults.delete(rule.id);
      else store.faults.set(rule.id, { ...rule, remaining: rule.remaining - 1 });
    }
    return rule;
  }
  return null;
}

/** Total latency configured for a call. */
export function latencyFor(store: SimStore, method: string, path: string, grantType: string | null): number {
  let total = 0;
  for (const rule of store.latency.values())
    if (matches(rule, method, path, grantType)) total += rule.delayMs;
  return total;
}

/**
 * The marker answer of a network fault: the Node front (`startSimulator`) destroys the client socket
 * when it sees it, before writing a byte. (An erroring body stream cannot cross the Durable Object
 * boundary intact, so the drop happens in front of workerd.)
 */
function droppedConnection(status: number): Response {
  return new Response(null, { status, headers: { [ABORT_HEADER]: "1" } });
}

/** GitHub's primary rate-limit message for a bucket label (`user ID 1`, `installation ID 2`, an address). */
export function rateLimitMessage(label: string): string {
  return /ID \d+$/.test(label)
    ? `API rate limit exceeded for ${label}.`
    : `API rate limit exceeded for ${label}. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)`;
}

/** The answer an injected fault gives. `label` names the rate-limit bucket for messages. */
export function faultResponse(
  store: SimStore,
  rule: FaultRule,
  rate: { limit: number; used: number; label: string },
): Response {
  const now = store.clock.nowSeconds();
  switch (rule.kind) {
    case "network":
      return droppedConnection(rule.status);
    case "rate_limit": {
      const headers = {
        "x-ratelimit-limit": String(rate.limit),
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": String(now + rule.retryAfter),
        "x-ratelimit-used": String(rate.limit),
        "x-ratelimit-resource": "core",
        ...rule.headers,
      };
      return ghError(rule.status, rateLimitMessage(rate.label), DOC_URLS.rateLimits, {}, headers);
    }
    case "secondary_rate_limit":
      return ghError(
        rule.status,
        "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.",
        DOC_URLS.secondaryRateLimits,
        {},
        { "retry-after": String(rule.retryAfter), ...rule.headers },
      );
    default: {
      if (typeof rule.body === "string") {
        return new Response(rule.body, {
          status: rule.status,
          headers: { "content-type": "text/plain", ...rule.headers },
        });
      }
      const body = rule.body ?? {
        message: "Server Error",
        documentation_url: "https://docs.github.com/rest",
      };
      return json(body, rule.status, rule.headers);
    }
  }
}
