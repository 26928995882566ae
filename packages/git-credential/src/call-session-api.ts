import type { ApiResult, SessionConfig } from "./types.ts";

/** The session API's routes this helper uses. */
export type SessionRoute = "credentials" | "credentials/rejected" | "identity";

/**
 * One call to the session worker's HTTP API with the session secret. Never throws: a network error or
 * a timeout is `unreachable` (transient); a non-JSON answer is `bad_answer`. The secret travels only in
 * the `Authorization` header, never in a URL.
 */
export async function callSessionApi<T>(
  config: SessionConfig,
  route: SessionRoute,
  options: { body?: unknown; timeoutMs?: number; fetch?: typeof fetch } = {},
): Promise<ApiResult<T>> {
  const method = route === "identity" ? "GET" : "POST";
  const url = `${config.apiUrl}/sessions/${encodeURIComponent(config.sessionId)}/${route}`;
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(url, {
      method,
      headers: {
        authorization: `Bearer ${config.secret}`,
        accept: "application/json",
        ...(options.body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch {
    return {
      ok: false,
      status: 0,
      reason: "unreachable",
      message: "the session service could not be reached",
      retryAfterSeconds: 5,
    };
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return { ok: false, status: response.status, reason: "bad_answer", message: `HTTP ${response.status}` };
  }
  if (response.ok && typeof body === "object" && body !== null && (body as { ok?: unknown }).ok === true) {
    return { ok: true, value: body as T };
  }
  const failure = (typeof body === "object" && body !== null ? body : {}) as {
    reason?: unknown;
    message?: unknown;
    retryAfterSeconds?: unknown;
  };
  const result: ApiResult<T> = {
    ok: false,
    status: response.status,
    reason: typeof failure.reason === "string" ? failure.reason.slice(0, 64) : "error",
    message: typeof failure.message === "string" ? failure.message.slice(0, 300) : `HTTP ${response.status}`,
  };
  if (typeof failure.retryAfterSeconds === "number") result.retryAfterSeconds = failure.retryAfterSeconds;
  return result;
}
