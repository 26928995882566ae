import type { GitService } from "./parse-proxy-route.ts";

/** Request headers git's smart HTTP needs upstream; no client credential, cookie or proxy header passes. */
const REQUEST_HEADERS = ["accept", "content-type", "git-protocol", "user-agent"];
/** Response headers git reads; GitHub's `www-authenticate` is dropped so git never prompts for a password. */
const RESPONSE_HEADERS = ["content-type", "cache-control", "expires", "pragma", "x-github-request-id"];

/**
 * Where git's smart HTTP is: `GITHUB_GIT_URL`, else `GITHUB_WEB_URL`, else `https://github.com`. Only
 * https, except on loopback (the local suite and tests): the injected token must never travel in clear
 * text. Throws on a misconfiguration, so the worker refuses every git request rather than leak one.
 */
export function resolveGitBase(gitUrl: string | undefined, webUrl: string | undefined): URL {
  const configured = [gitUrl, webUrl].map((v) => v?.trim()).find((v) => v !== undefined && v !== "");
  const base = new URL(configured ?? "https://github.com");
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(base.hostname);
  if (base.protocol !== "https:" && !(loopback && base.protocol === "http:")) {
    throw new Error("the git proxy forwards over https only (GITHUB_GIT_URL / GITHUB_WEB_URL)");
  }
  return base;
}

/** What one forwarded request needs: the session's own repository and token, and git's request. */
export interface Forward {
  base: URL;
  owner: string;
  repo: string;
  service: GitService;
  kind: "advertise" | "rpc";
  token: string;
  request: Request;
  /** The body to send (the request's own, or its command list followed by the rest): never buffered. */
  body: ReadableStream<Uint8Array> | null;
  /**
   * The `content-encoding` of `body` as sent, null when it is plain. Not the request's header: the proxy
   * decodes a gzip body to read it, and plain bytes labelled `gzip` are refused upstream (git gzips every
   * upload-pack request over 1 KiB, so a fetch of many refs failed).
   */
  bodyEncoding: string | null;
  /**
   * The `GITHUB_GIT` binding when there is one (a Workers VPC service for a GitHub Enterprise Server in a
   * private network; a test's network service that trusts its git server's certificate), else `fetch`.
   */
  fetcher?: Fetcher | undefined;
}

/**
 * Sends one git request to GitHub with the session's token in `Authorization` (Basic
 * `x-access-token:<token>`, which GitHub's git endpoint takes for user and installation tokens alike).
 * The URL is built from the session's own `owner/repo` and a fixed endpoint, never from the request's
 * path. Redirects are not followed: a redirect would carry the token to wherever it points.
 */
export function forwardToGitHub(forward: Forward): Promise<Response> {
  const path = `${forward.base.pathname.replace(/\/+$/, "")}/${encodeURIComponent(forward.owner)}/${encodeURIComponent(forward.repo)}.git`;
  const url = new URL(forward.base.origin);
  if (forward.kind === "advertise") {
    url.pathname = `${path}/info/refs`;
    url.search = `?service=${forward.service}`;
  } else {
    url.pathname = `${path}/${forward.service}`;
  }
  const headers = new Headers();
  for (const name of REQUEST_HEADERS) {
    const value = forward.request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  if (forward.bodyEncoding !== null) headers.set("content-encoding", forward.bodyEncoding);
  headers.set("authorization", `Basic ${btoa(`x-access-token:${forward.token}`)}`);
  const init: RequestInit = {
    method: forward.kind === "advertise" ? "GET" : "POST",
    headers,
    redirect: "manual",
  };
  if (forward.body !== null) init.body = forward.body;
  return forward.fetcher === undefined ? fetch(url, init) : forward.fetcher.fetch(url, init);
}

/**
 * GitHub's answer as git gets it: status and body unchanged and streamed (a branch protection's 403, a
 * report-status with its `ng` lines), with only the headers git reads. `content-encoding` and
 * `content-length` are dropped: fetch already decoded the body.
 */
export function passThrough(upstream: Response): Response {
  const headers = new Headers();
  for (const name of RESPONSE_HEADERS) {
    const value = upstream.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  return new Response(upstream.body, { status: upstream.status, headers });
}
