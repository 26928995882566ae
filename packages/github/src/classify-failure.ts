import { classifyForbidden } from "./classify-forbidden.ts";
import type { GitHubFailure } from "./types.ts";

/** Wait after a 5xx when GitHub sends no `retry-after`. */
const SERVER_ERROR_RETRY_SECONDS = 10;
/** GitHub's advice for a secondary rate limit without headers: wait at least a minute. */
const SECONDARY_LIMIT_RETRY_SECONDS = 60;
/** Never tell a caller to wait longer than a primary window. */
const MAX_RETRY_SECONDS = 3600;

function clampSeconds(seconds: number): number {
  return Math.min(MAX_RETRY_SECONDS, Math.max(1, Math.ceil(seconds)));
}

/** `retry-after` as seconds (delta-seconds or an HTTP date), or undefined. */
function retryAfterHeader(headers: Headers, now: number): number | undefined {
  const value = headers.get("retry-after")?.trim();
  if (value === undefined || value === "") return undefined;
  if (/^\d+$/.test(value)) return clampSeconds(Number(value));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : clampSeconds((date - now) / 1000);
}

/** Seconds until `x-ratelimit-reset` when `x-ratelimit-remaining` is 0, or undefined. */
function primaryLimitWait(headers: Headers, now: number): number | undefined {
  if (headers.get("x-ratelimit-remaining")?.trim() !== "0") return undefined;
  const reset = Number(headers.get("x-ratelimit-reset"));
  if (!Number.isFinite(reset) || reset <= 0) return SECONDARY_LIMIT_RETRY_SECONDS;
  return clampSeconds(reset - now / 1000);
}

function messageOf(body: unknown): string {
  if (typeof body === "object" && body !== null && "message" in body) {
    const message = (body as { message: unknown }).message;
    // GitHub's messages are fixed texts ("Bad credentials", "Not Found"); bounded all the same.
    if (typeof message === "string") return message.slice(0, 200);
  }
  return "";
}

/**
 * A redirect: GitHub moved the repository (renamed, transferred) and points at `/repositories/{id}`. It
 * is reported, never followed here: following would hand the caller a different repository than it
 * named, and a retry gets the same answer (a session retrying it 7 times only hides the move).
 */
function moved(status: number, headers: Headers, body: unknown): GitHubFailure {
  const fromBody =
    typeof body === "object" && body !== null && "url" in body ? (body as { url: unknown }).url : undefined;
  const location = (headers.get("location") ?? (typeof fromBody === "string" ? fromBody : "")).slice(0, 500);
  const id = /\/repositories\/(\d{1,15})(?:[/?#]|$)/.exec(location)?.[1];
  return {
    ok: false,
    reason: "moved",
    message: `GitHub answered ${status}: the repository moved`,
    status,
    ...(location === "" ? {} : { location }),
    ...(id === undefined ? {} : { movedRepositoryId: Number(id) }),
  };
}

/**
 * Turns a non-2xx answer into a typed failure. Rate limits follow GitHub's documented rules: honour
 * `retry-after`; else `x-ratelimit-remaining: 0` means wait until `x-ratelimit-reset`; a 403/429 that
 * talks about a (secondary) rate limit without headers means wait a minute. 5xx is transient.
 */
export function classifyFailure(
  status: number,
  headers: Headers,
  body: unknown,
  now: () => number = Date.now,
): GitHubFailure {
  const at = now();
  const githubMessage = messageOf(body);
  const describe = (what: string) => `GitHub answered ${status}${what}`;
  const forbidden = status === 403 ? classifyForbidden(headers, githubMessage) : undefined;
  if (forbidden !== undefined) return forbidden;
  if (status === 429 || status === 403) {
    const wait = retryAfterHeader(headers, at) ?? primaryLimitWait(headers, at);
    const mentionsLimit = /rate limit/i.test(githubMessage);
    if (wait !== undefined || status === 429 || mentionsLimit) {
      return {
        ok: false,
        reason: "rate_limited",
        message: describe(": rate limited"),
        status,
        retryAfterSeconds: wait ?? SECONDARY_LIMIT_RETRY_SECONDS,
      };
    }
    return { ok: false, reason: "forbidden", message: describe(` ${githubMessage}`.trimEnd()), status };
  }
  if (status >= 500) {
    return {
      ok: false,
      reason: "github_unavailable",
      message: describe(""),
      status,
      retryAfterSeconds: retryAfterHeader(headers, at) ?? SERVER_ERROR_RETRY_SECONDS,
    };
  }
  if (status === 301 || status === 307 || status === 308) return moved(status, headers, body);
  if (status === 401)
    return { ok: false, reason: "unauthorized", message: describe(" Bad credentials"), status };
  if (status === 404) return { ok: false, reason: "not_found", message: describe(" Not Found"), status };
  if (status === 422) {
    return {
      ok: false,
      reason: "validation_failed",
      message: describe(` ${githubMessage}`.trimEnd()),
      status,
    };
  }
  return { ok: false, reason: "unexpected_status", message: describe(""), status };
}
