import type { GetGitCredentialsResult, SessionApiFailureBody, SessionCredentialsBody } from "@gitcred/client";
import { parseInput, sessionIdSchema, sha256Hex } from "@gitcred/utils";
import type { CloudAgentSession } from "../cloud-agent-session.ts";
import { MAX_EVENTS_PER_READ, reportRejectedSchema } from "../schemas.ts";
import type { Caller } from "../types.ts";
import { bearerSecret } from "./bearer-secret.ts";
import { readCappedText } from "./read-capped-text.ts";

const ROUTE = /^\/sessions\/([^/]+)\/(credentials|credentials\/rejected|identity|events)$/;
/** A rejection report is a hash at most; a larger body is not one. */
const MAX_BODY_BYTES = 1024;

type Answer = { ok: true } | { ok: false; reason: string; message?: string; retryAfterSeconds?: number };

const STATUS: Record<string, number> = {
  invalid_request: 400,
  // A wrong secret and an unknown session look the same.
  not_found: 401,
  // The secret was right but its session is over: 401 too (the secret no longer authenticates).
  session_ended: 401,
  session_expired: 401,
  // A proxy session: the secret authenticates git to the proxy, it fetches no token.
  proxy_only: 403,
  no_repo_access: 403,
  no_installation: 403,
  no_entitlement: 403,
  installation_suspended: 403,
  permissions_not_granted: 403,
  session_failed: 409,
  // Renamed or transferred at GitHub: the session's repository name is gone for good (not a 5xx to retry).
  repository_moved: 409,
  session_conflict: 409,
  rate_limited: 429,
  not_ready: 503,
  github_unavailable: 503,
  database_unavailable: 503,
  busy: 503,
};

function json(body: unknown, status: number, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store", ...headers },
  });
}

function failure(reason: string, message: string, status: number): Response {
  const body: SessionApiFailureBody = { ok: false, reason, message };
  return json(body, status, status === 401 ? { "www-authenticate": 'Bearer realm="gitcred-session"' } : {});
}

/** An RPC-style answer as an HTTP response: 200 with the body, or the failure with its status. */
function answer<T extends Answer>(result: T): Response {
  if (result.ok) return json(result, 200);
  const status = STATUS[result.reason] ?? (result.retryAfterSeconds === undefined ? 500 : 503);
  const body: SessionApiFailureBody = { ok: false, reason: result.reason };
  if (result.message !== undefined) body.message = result.message;
  const headers: Record<string, string> = {};
  if (result.retryAfterSeconds !== undefined) {
    body.retryAfterSeconds = result.retryAfterSeconds;
    headers["retry-after"] = String(result.retryAfterSeconds);
  }
  if (status === 401) headers["www-authenticate"] = 'Bearer realm="gitcred-session"';
  return json(body, status, headers);
}

/** Credentials as the sandbox gets them: with the git username that goes with every token. */
function withUsername(
  result: GetGitCredentialsResult,
): SessionCredentialsBody | Exclude<GetGitCredentialsResult, { ok: true }> {
  return result.ok ? { ...result, username: "x-access-token" } : result;
}

/** The rejection report, or why it is refused: too large (413) or not one (400). */
async function readReport(
  request: Request,
): Promise<{ ok: true; tokenSha256?: string | undefined } | { ok: false; status: 400 | 413 }> {
  const text = await readCappedText(request, MAX_BODY_BYTES);
  if (text === undefined) return { ok: false, status: 413 };
  if (text.trim() === "") return { ok: true };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, status: 400 };
  }
  const parsed = parseInput(reportRejectedSchema, body);
  return parsed.ok ? { ok: true, ...parsed.value } : { ok: false, status: 400 };
}

/**
 * The sandbox's HTTP API, authenticated by the session secret (`Authorization: Bearer <secret>`):
 * `POST /sessions/:id/credentials`, `POST /sessions/:id/credentials/rejected`, `GET /sessions/:id/identity`,
 * `GET /sessions/:id/events` (JSON, or a WebSocket with `Upgrade: websocket`). Everything else is 404.
 * The secret is hashed here and compared with the stored hash inside the session's object. The one body
 * this API takes (a rejection report, at most 1 KiB) is read only after the secret was accepted, and
 * only up to the cap; no other route reads its body.
 */
export async function handleSessionHttp(
  request: Request,
  sessions: DurableObjectNamespace<CloudAgentSession>,
): Promise<Response> {
  const url = new URL(request.url);
  const match = ROUTE.exec(url.pathname);
  if (match === null) return failure("not_found", "no such route", 404);
  let rawId: string;
  try {
    rawId = decodeURIComponent(match[1] ?? "");
  } catch {
    return failure("not_found", "no such route", 404);
  }
  const id = parseInput(sessionIdSchema, rawId);
  if (!id.ok) return failure("not_found", "no such route", 404);
  const route = match[2];
  const method = request.method.toUpperCase();
  const expected = route === "identity" || route === "events" ? "GET" : "POST";
  if (method !== expected) {
    return new Response(null, { status: 405, headers: { allow: expected } });
  }
  const stub = sessions.get(sessions.idFromName(id.value));
  if (route === "events" && request.headers.get("upgrade")?.toLowerCase() === "websocket") {
    return stub.fetch(request);
  }
  const secret = bearerSecret(request);
  if (secret === undefined) return failure("not_found", "a session secret is required", 401);
  const caller: Caller = { kind: "secret", secretSha256: await sha256Hex(secret) };
  try {
    switch (route) {
      case "credentials":
        return answer(withUsername(await stub.credentials(caller)));
      case "credentials/rejected": {
        // Authorize before reading: an unauthenticated caller must not make us buffer (or parse) anything.
        const declared = request.headers.get("content-length");
        if (declared !== null && !(Number(declared) <= MAX_BODY_BYTES))
          return failure("invalid_request", "the body is too large", 413);
        const allowed = await stub.authorize(caller);
        if (!allowed.ok) return answer(allowed);
        const report = await readReport(request);
        if (!report.ok) {
          return report.status === 413
            ? failure("invalid_request", "the body is too large", 413)
            : failure("invalid_request", 'expected {"tokenSha256"?: hex}', 400);
        }
        const input = report.tokenSha256 === undefined ? {} : { rejectedTokenSha256: report.tokenSha256 };
        return answer(withUsername(await stub.refresh(caller, { reason: "rejected", ...input })));
      }
      case "identity":
        return answer(await stub.identity(caller));
      default: {
        const after = Number(url.searchParams.get("after") ?? "0");
        const from = Number.isSafeInteger(after) && after >= 0 ? after : 0;
        return answer(await stub.events(caller, from, MAX_EVENTS_PER_READ));
      }
    }
  } catch {
    return failure("internal_error", "the session is unavailable", 503);
  }
}
