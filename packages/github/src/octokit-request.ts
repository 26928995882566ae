import { request as octokitBaseRequest } from "@octokit/request";
import type { EndpointOptions, OctokitResponse, RequestInterface } from "@octokit/types";
import { cutOff, throughGitHubGate, unreachable } from "./github-gate.ts";
import type { GitHubEndpoints, GitHubFailure } from "./types.ts";

const DEFAULT_USER_AGENT = "gitcred";
/** Statuses whose answer has no body (a Response built with one throws). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * Thrown by the gated fetch instead of calling GitHub (quota held back, no slot in time) or when the
 * fetch failed: octokit wraps it as the `cause` of its RequestError, and `fromOctokitError` hands back
 * the typed failure it carries. Its message is ours and quotes nothing of the request.
 */
export class GateRefusal extends Error {
  override readonly name = "GateRefusal";
  readonly failure: GitHubFailure;
  constructor(failure: GitHubFailure) {
    super(failure.message);
    this.failure = failure;
  }
}

/** An octokit request hook (`request.hook`, untyped in @octokit/types): sees each call of a request. */
export type RequestHook = (
  request: RequestInterface,
  options: EndpointOptions,
) => Promise<OctokitResponse<unknown>>;

/**
 * The fetch octokit is given: every request goes through the isolate's limits (`github-gate.ts`), never
 * follows a redirect (a 301 is how GitHub says a repository moved; following it would act on whatever
 * the old name leads to now), and is read whole before the slot and the timer are released.
 */
function gatedFetch(endpoints: GitHubEndpoints): typeof fetch {
  const doFetch = endpoints.fetch ?? fetch;
  return async (input, init) => {
    const authorization = new Headers(init?.headers).get("authorization");
    const answer = await throughGitHubGate(endpoints, authorization, async (signal) => {
      let response: Response;
      try {
        response = await doFetch(input, { ...init, signal, redirect: "manual" });
      } catch (error) {
        return unreachable(error);
      }
      let body: ArrayBuffer | null = null;
      try {
        if (!NULL_BODY_STATUSES.has(response.status)) body = await response.arrayBuffer();
      } catch {
        return cutOff(response.status);
      }
      return new Response(body, { status: response.status, headers: response.headers });
    });
    if (answer instanceof Response) return answer;
    throw new GateRefusal(answer);
  };
}

/** What octokit logs (deprecation notices name the URL): dropped, never sent to the console. */
const silentLog = { debug() {}, info() {}, warn() {}, error() {} };

const requests = new WeakMap<GitHubEndpoints, { api: RequestInterface; web: RequestInterface }>();

/**
 * The `@octokit/request` for GitHub's REST API (`base: "api"`, `GITHUB_API_URL`) or its web host
 * (`"web"`, where `/login/oauth/*` lives), made once per endpoints object: GitHub's headers, our user
 * agent, the gated fetch and a silent log.
 */
export function octokitRequest(endpoints: GitHubEndpoints, base: "api" | "web"): RequestInterface {
  let made = requests.get(endpoints);
  if (made === undefined) {
    const make = (baseUrl: string) =>
      octokitBaseRequest.defaults({
        baseUrl: baseUrl.replace(/\/+$/, ""),
        headers: {
          "user-agent": endpoints.userAgent ?? DEFAULT_USER_AGENT,
          "x-github-api-version": "2022-11-28",
        },
        request: { fetch: gatedFetch(endpoints), log: silentLog },
      });
    made = { api: make(endpoints.apiUrl), web: make(endpoints.webUrl) };
    requests.set(endpoints, made);
  }
  return made[base];
}
