import { createAppQuotaGate } from "./app-quota-gate.ts";
import { createConcurrencyLimit } from "./concurrency-limit.ts";
import type { GitHubEndpoints, GitHubFailure } from "./types.ts";

const DEFAULT_TIMEOUT_MS = 10_000;
/** How long a caller should wait after a network failure or timeout before trying again. */
export const NETWORK_RETRY_SECONDS = 5;

/** GitHub's secondary limit: "No more than 100 concurrent requests are allowed" (per isolate here). */
export const MAX_CONCURRENT_REQUESTS = 100;

/** The isolate's slots for requests to GitHub (`concurrency-limit.ts`). */
export const githubConcurrency = createConcurrencyLimit(MAX_CONCURRENT_REQUESTS);

/** The isolate's App-wide back-off from earlier answers' `x-ratelimit-*` (`app-quota-gate.ts`). */
export const appQuotaGate = createAppQuotaGate();

/** App-authenticated: an App JWT or an installation token (`ghs_`), which the App-wide back-off covers. */
function isAppAuthenticated(authorization: string | null | undefined): boolean {
  return typeof authorization === "string" && /^(bearer|token) (eyJ|ghs_)/i.test(authorization);
}

/** What a request sent through the gate answered: its status and headers feed the App-wide back-off. */
export interface GatedAnswer {
  status: number;
  headers: Headers;
}

/**
 * Runs one request to GitHub under the isolate's limits: refused at once while the App's quota is held
 * back (for App-authenticated requests), then one of the 100 slots, all under one timeout that covers
 * waiting for the slot, the request and reading its body (`send` must read the body before resolving,
 * or a slow body would hold no slot and no timer). Both `githubRequest` and the octokit requests of
 * `@octokit/auth-app` and `@octokit/oauth-methods` go through here, so one budget covers every call.
 */
export async function throughGitHubGate<T extends GatedAnswer | GitHubFailure>(
  endpoints: GitHubEndpoints,
  authorization: string | null | undefined,
  send: (signal: AbortSignal) => Promise<T>,
): Promise<T | GitHubFailure> {
  const now = endpoints.now ?? Date.now;
  const app = isAppAuthenticated(authorization);
  const hold = app ? appQuotaGate.holdFor(now()) : undefined;
  if (hold !== undefined) {
    return {
      ok: false,
      reason: "rate_limited",
      message: "held back: the App's remaining GitHub quota is low until its reset",
      retryAfterSeconds: hold,
    };
  }
  // A timer we clear ourselves (not AbortSignal.timeout): a pending timer keeps a Durable Object from
  // being evicted for the whole timeout after the call has long finished. It runs while waiting for a
  // slot too, so a queue that does not move ends as a timeout, not a hang.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), endpoints.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const release = await githubConcurrency.acquire(controller.signal);
  try {
    if (release === undefined) {
      return {
        ok: false,
        reason: "github_unavailable",
        message: "too many requests to GitHub in flight; none finished in time",
        retryAfterSeconds: NETWORK_RETRY_SECONDS,
      };
    }
    const result = await send(controller.signal);
    if (app && "headers" in result) appQuotaGate.observe(result.status, result.headers, now());
    return result;
  } finally {
    release?.();
    clearTimeout(timer);
  }
}

/** A fetch that threw: a timeout or a network failure, told apart, quoting nothing of the request. */
export function unreachable(error: unknown): GitHubFailure {
  const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
  return {
    ok: false,
    reason: "github_unavailable",
    message: timedOut ? "GitHub did not answer in time" : "GitHub could not be reached",
    retryAfterSeconds: NETWORK_RETRY_SECONDS,
  };
}

/** An answer whose body broke off while it was read: transient, like a dropped connection. */
export function cutOff(status: number): GitHubFailure {
  return {
    ok: false,
    reason: "github_unavailable",
    message: "GitHub's answer was cut off",
    status,
    retryAfterSeconds: NETWORK_RETRY_SECONDS,
  };
}
