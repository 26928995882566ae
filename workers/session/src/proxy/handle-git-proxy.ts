import type { RecordGitPushInput } from "@gitcred/client";
import { sha256Hex } from "@gitcred/utils";
import { type Forward, forwardToGitHub, passThrough } from "./forward-to-github.ts";
import { gitSecret } from "./git-secret.ts";
import type { GitProxyGrant, GitProxyRequest } from "./grant-git-proxy.ts";
import type { ProxyRoute, RouteRefusal } from "./parse-proxy-route.ts";
import { readPushCommands } from "./read-push-commands.ts";
import { pktLine, refusalReport } from "./refusal-report.ts";

/** What the proxy needs around it (the session's object, GitHub's git host): injected, so tests can count. */
export interface GitProxyDeps {
  grant(sessionId: string, secretSha256: string, request: GitProxyRequest): Promise<GitProxyGrant>;
  base: URL;
  /** The `GITHUB_GIT` binding, if configured (see `Forward.fetcher`). */
  fetcher?: Fetcher | undefined;
  forward?: (forward: Forward) => Promise<Response>;
  log: { warn(message: string, fields?: Record<string, unknown>): void };
  /**
   * Records a push in git-token (the person's activity) without holding the push up: the caller runs it
   * under `waitUntil`. Must not throw.
   */
  recordPush?: ((push: RecordGitPushInput) => void) | undefined;
}

const STATUS: Record<string, number> = {
  not_found: 403,
  session_ended: 403,
  session_expired: 403,
  proxy_only: 403,
  repository_not_allowed: 403,
  read_only: 403,
  no_repo_access: 403,
  no_installation: 403,
  no_entitlement: 403,
  installation_suspended: 403,
  permissions_not_granted: 403,
  session_failed: 409,
  rate_limited: 429,
};

/**
 * A refusal git shows the person: for `info/refs` (where every git command starts) git prints a
 * text/plain body as `remote: <line>`. 401 only when no secret came at all, so a credential helper may
 * answer; a wrong or ended secret is 403, since git would answer a 401 by prompting and hide the reason.
 */
export function gitRefusal(status: number, message: string, retryAfterSeconds?: number): Response {
  const headers: Record<string, string> = {
    "content-type": "text/plain; charset=utf-8",
    "cache-control": "no-store",
  };
  if (status === 401) headers["www-authenticate"] = 'Basic realm="gitcred git proxy"';
  if (retryAfterSeconds !== undefined) headers["retry-after"] = String(retryAfterSeconds);
  return new Response(`${message}\n`, { status, headers });
}

/** A route refusal: text for git, JSON `{ message }` for Git LFS (which prints that). */
export function routeRefusal(refusal: RouteRefusal): Response {
  if (refusal.lfs !== true) return gitRefusal(refusal.status, refusal.message);
  return new Response(JSON.stringify({ message: refusal.message }), {
    status: refusal.status,
    headers: { "content-type": "application/vnd.git-lfs+json" },
  });
}

function failureResponse(grant: Exclude<GitProxyGrant, { ok: true } | { reason: "push_refused" }>): Response {
  if (grant.reason === "not_found") {
    return gitRefusal(403, "gitcred: the session secret is not valid for this session");
  }
  const status = STATUS[grant.reason] ?? (grant.retryAfterSeconds === undefined ? 500 : 503);
  const message = grant.message?.startsWith("gitcred")
    ? grant.message
    : `gitcred: ${grant.message ?? grant.reason}`;
  return gitRefusal(status, message, grant.retryAfterSeconds);
}

/** A receive-pack answer built by the proxy itself: what git reads as the server's report. */
function receivePackResult(bytes: Uint8Array): Response {
  return new Response(bytes, {
    status: 200,
    headers: { "content-type": "application/x-git-receive-pack-result", "cache-control": "no-cache" },
  });
}

/** Reads and drops what is left of a refused push, so git reads the report instead of a broken pipe. */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  for (;;) {
    const { done } = await reader.read();
    if (done) return;
  }
}

/**
 * The command list already read, then the rest of the body as it arrives: an IdentityTransformStream
 * fed by `pipeTo`, so at most a few chunks are in flight whatever the pack's size (backpressure reaches the
 * client). A FixedLengthStream when the client declared the length, so GitHub gets it too.
 */
function replay(prefix: Uint8Array, rest: ReadableStream<Uint8Array>, length: number | undefined) {
  const { readable, writable } =
    // The runtime's own byte streams: chunks pass without a JavaScript copy each.
    length === undefined ? new IdentityTransformStream() : new FixedLengthStream(length);
  const writer = writable.getWriter();
  void (async () => {
    await writer.write(prefix);
    writer.releaseLock();
    await rest.pipeTo(writable);
  })().catch(() => {
    // The client or GitHub went away: pipeTo has already errored the other side.
  });
  return readable as ReadableStream<Uint8Array>;
}

/**
 * The request body without gzip (git gzips upload-pack requests over 1 KiB), and the encoding of what is
 * returned: null once decoded, else the request's own (another encoding passes as it came, so a push in
 * one cannot be read and is refused).
 */
function plainBody(request: Request): {
  body: ReadableStream<Uint8Array> | null;
  length: number | undefined;
  encoding: string | null;
} {
  const encoding = request.headers.get("content-encoding");
  if (request.body === null) return { body: null, length: undefined, encoding: null };
  if (encoding?.trim().toLowerCase() === "gzip") {
    return {
      body: request.body.pipeThrough(new DecompressionStream("gzip")),
      length: undefined,
      encoding: null,
    };
  }
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  return {
    body: request.body,
    length: Number.isSafeInteger(declared) && declared >= 0 ? declared : undefined,
    encoding,
  };
}

/**
 * The git proxy (`/git/<sessionId>/<owner>/<repo>.git/...`): git's smart HTTP, pinned to the session's
 * repository, with the session's current GitHub token injected on each request; the sandbox holds only
 * the session secret. A push's ref updates are read before its pack and checked against the session's
 * branch policy: a refused push gets a report git prints (`ng <ref> <reason>`) and nothing of it reaches
 * GitHub. Everything else streams both ways unbuffered. An upstream 401 on `info/refs` is reported to the
 * session (one refresh or one downgrade, as `credentials/rejected`) and retried once with the new token;
 * on a POST, whose body cannot be replayed, it is reported and git's next attempt gets the new token.
 */
export async function handleGitProxy(
  request: Request,
  route: ProxyRoute,
  deps: GitProxyDeps,
): Promise<Response> {
  const secret = gitSecret(request);
  if (secret === undefined) {
    return gitRefusal(
      401,
      "gitcred: the git proxy needs the session secret (see `gitcred-credential setup --proxy`)",
    );
  }
  const secretSha256 = await sha256Hex(secret);
  const forward = deps.forward ?? forwardToGitHub;
  const ask: GitProxyRequest = { owner: route.owner, repo: route.repo, service: route.service };
  let body: ReadableStream<Uint8Array> | null = null;
  let bodyEncoding: string | null = null;
  let capabilities: string[] = [];
  if (route.kind === "rpc") {
    const plain = plainBody(request);
    body = plain.body;
    bodyEncoding = plain.encoding;
    if (route.service === "git-receive-pack" && plain.body !== null) {
      const reader = plain.body.getReader();
      const read = await readPushCommands(reader);
      if (!read.ok) {
        await reader.cancel().catch(() => {});
        return receivePackResult(pktLine(`ERR gitcred: ${read.message}\n`));
      }
      ask.updates = read.updates;
      capabilities = read.capabilities;
      reader.releaseLock();
      body = replay(read.prefix, plain.body, plain.length);
    }
  }
  const grant = await deps.grant(route.sessionId, secretSha256, ask);
  // Every push the session granted or refused by its policy, recorded for the person (#14 §6).
  if ((grant.ok || grant.reason === "push_refused") && grant.push !== undefined)
    deps.recordPush?.(grant.push);
  if (!grant.ok) {
    if (grant.reason === "push_refused") {
      // The pack is read and dropped: nothing of a refused push reaches GitHub.
      if (body !== null) await drain(body.getReader()).catch(() => {});
      return receivePackResult(refusalReport(grant.refusals, capabilities, grant.message));
    }
    await body?.cancel().catch(() => {});
    return failureResponse(grant);
  }
  const send = (token: string) =>
    forward({
      base: deps.base,
      owner: grant.owner,
      repo: grant.repo,
      service: route.service,
      kind: route.kind,
      token,
      request,
      body,
      bodyEncoding,
      fetcher: deps.fetcher,
    });
  let upstream = await send(grant.token);
  if (upstream.status === 401) {
    await upstream.body?.cancel().catch(() => {});
    const again = await deps.grant(route.sessionId, secretSha256, {
      owner: route.owner,
      repo: route.repo,
      service: route.service,
      rejectedTokenSha256: await sha256Hex(grant.token),
    });
    if (!again.ok)
      return again.reason === "push_refused" ? gitRefusal(500, again.message) : failureResponse(again);
    if (route.kind === "rpc") {
      return gitRefusal(
        502,
        "gitcred: GitHub refused the session's token mid-operation; it was replaced: run the command again",
      );
    }
    upstream = await send(again.token);
    if (upstream.status === 401) {
      await upstream.body?.cancel().catch(() => {});
      deps.log.warn("GitHub refused the session's token twice on one request");
      return gitRefusal(403, "gitcred: GitHub refuses the session's credentials; try again later");
    }
  }
  if (upstream.status >= 300 && upstream.status < 400) {
    await upstream.body?.cancel().catch(() => {});
    // A redirect (a renamed or moved repository) is not followed: it would take git elsewhere.
    return gitRefusal(502, "gitcred: GitHub redirected the request (was the repository renamed or moved?)");
  }
  return passThrough(upstream);
}
