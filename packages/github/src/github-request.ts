import { createAppQuotaGate } from "./app-quota-gate.ts";
import { classifyFailure } from "./classify-failure.ts";
import { createConcurrencyLimit } from "./concurrency-limit.ts";
import type { GitHubEndpoints, GitHubFailure, GitHubResponse } from "./types.ts";

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_USER_AGENT = "gitcred";
/** How long a caller should wait after a network failure or timeout before trying again. */
export const NETWORK_RETRY_SECONDS = 5;

/** GitHub's secondary limit: "No more than 100 concurrent requests are allowed" (per isolate here). */
export const MAX_CONCURRENT_REQUESTS = 100;

/** The isolate's slots for requests to GitHub (`concurrency-limit.ts`). */
export const githubConcurrency = createConcurrencyLimit(MAX_CONCURRENT_REQUESTS);

/** The isolate's App-wide back-off from earlier answers' `x-ratelimit-*` (`app-quota-gate.ts`). */
export const appQuotaGate = createAppQuotaGate();

/** App-authenticated: an App JWT or an installation token (`ghs_`), which the App-wide back-off covers. */
function isAppAuthenticated(authorization: string | undefined): boolean {
  return authorization !== undefined && /^Bearer (eyJ|ghs_)/.test(authorization);
}

/** One request to GitHub: `url` is complete; `body` is JSON (object) or a form (URLSearchParams). */
export interface GitHubRequest {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  url: string;
  /** `Authorization` header value (`Bearer ...`, `Basic ...`), if any. */
  authorization?: string;
  body?: Record<string, unknown> | URLSearchParams;
}

/** Joins a base URL and a path without doubling or dropping the slash. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}${path.startsWith("/") ? path : `/${path}`}`;
}

async function readBody(response: Response): Promise<{ ok: true; body: unknown } | { ok: false }> {
  const text = await response.text();
  if (text.trim() === "") return { ok: true, body: null };
  try {
    return { ok: true, body: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/**
 * Sends one request and classifies the outcome. The only place that calls `fetch` for GitHub: it
 * applies the timeout, GitHub's headers, and turns network errors, 4xx/5xx and rate limits into typed
 * failures whose messages hold no request data (a thrown fetch error may quote the URL or body, so it
 * is never propagated). Never throws.
 */
export async function githubRequest(
  endpoints: GitHubEndpoints,
  request: GitHubRequest,
): Promise<({ ok: true } & GitHubResponse) | GitHubFailure> {
  const headers = new Headers({
    accept: "application/vnd.github+json",
    "user-agent": endpoints.userAgent ?? DEFAULT_USER_AGENT,
    "x-github-api-version": "2022-11-28",
  });
  if (request.authorization !== undefined) headers.set("authorization", request.authorization);
  let body: string | undefined;
  if (request.body instanceof URLSearchParams) {
    headers.set("accept", "application/json");
    headers.set("content-type", "application/x-www-form-urlencoded");
    body = request.body.toString();
  } else if (request.body !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(request.body);
  }
  const doFetch = endpoints.fetch ?? fetch;
  const now = endpoints.now ?? Date.now;
  const app = isAppAuthenticated(request.authorization);
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
    const result = await send(doFetch, request, headers, body, controller.signal, endpoints);
    if (app && "headers" in result) appQuotaGate.observe(result.status, result.headers, now());
    return result;
  } finally {
    release?.();
    clearTimeout(timer);
  }
}

async function send(
  doFetch: typeof fetch,
  request: GitHubRequest,
  headers: Headers,
  body: string | undefined,
  signal: AbortSignal,
  endpoints: GitHubEndpoints,
): Promise<({ ok: true } & GitHubResponse) | GitHubFailure> {
  let response: Response;
  try {
    response = await doFetch(request.url, {
      method: request.method,
      headers,
      ...(body === undefined ? {} : { body }),
      redirect: "manual",
      signal,
    });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    return {
      ok: false,
      reason: "github_unavailable",
      message: timedOut ? "GitHub did not answer in time" : "GitHub could not be reached",
      retryAfterSeconds: NETWORK_RETRY_SECONDS,
    };
  }
  let parsed: Awaited<ReturnType<typeof readBody>>;
  try {
    parsed = await readBody(response);
  } catch {
    return {
      ok: false,
      reason: "github_unavailable",
      message: "GitHub's answer was cut off",
      status: response.status,
      retryAfterSeconds: NETWORK_RETRY_SECONDS,
    };
  }
  if (response.status >= 200 && response.status < 300) {
    if (!parsed.ok) {
      return {
        ok: false,
        reason: "github_unavailable",
        message: `GitHub answered ${response.status} with a body that is not JSON`,
        status: response.status,
        retryAfterSeconds: NETWORK_RETRY_SECONDS,
      };
    }
    return { ok: true, status: response.status, headers: response.headers, body: parsed.body };
  }
  return classifyFailure(
    response.status,
    response.headers,
    parsed.ok ? parsed.body : null,
    endpoints.now ?? Date.now,
  );
}
