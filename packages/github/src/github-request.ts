import { classifyFailure } from "./classify-failure.ts";
import { cutOff, NETWORK_RETRY_SECONDS, throughGitHubGate, unreachable } from "./github-gate.ts";
import type { GitHubEndpoints, GitHubFailure, GitHubResponse } from "./types.ts";

export {
  appQuotaGate,
  githubConcurrency,
  MAX_CONCURRENT_REQUESTS,
  NETWORK_RETRY_SECONDS,
} from "./github-gate.ts";

const DEFAULT_USER_AGENT = "gitcred";

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
  return throughGitHubGate(endpoints, request.authorization, (signal) =>
    send(doFetch, request, headers, body, signal, endpoints),
  );
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
    return unreachable(error);
  }
  let parsed: Awaited<ReturnType<typeof readBody>>;
  try {
    parsed = await readBody(response);
  } catch {
    return cutOff(response.status);
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
