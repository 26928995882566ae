/**
 * Which GitHub the simulator is: `dotcom` (api.github.com + github.com, the default) or `ghes`
 * (GitHub Enterprise Server: one host, the REST API under `/api/v3`, web and OAuth pages at the root,
 * the App install page at `/github-apps/<slug>/installations/new`). Chosen when the simulator starts
 * (`startSimulator({ flavor })`, the `GITHUB_SIM_FLAVOR` binding) and fixed for its life: a reset keeps
 * it, as a reset of GitHub would not move its API.
 */
import { classify } from "./route-table.ts";

/** The two layouts the simulator serves. */
export type SimFlavor = "dotcom" | "ghes";

/** Where GHES serves its REST API: `http(s)://HOSTNAME/api/v3` (GitHub's docs). */
export const GHES_API_PREFIX = "/api/v3";

/** The GHES release the simulator answers as (`X-GitHub-Enterprise-Version`). */
export const GHES_VERSION = "3.17.0";

/** Reads a flavor from a binding's text; anything but `ghes` is github.com. */
export function parseFlavor(value: unknown): SimFlavor {
  return value === "ghes" ? "ghes" : "dotcom";
}

/** The path prefix of the App pages: `/apps` on github.com, `/github-apps` on GHES. */
export function appPagesPrefix(flavor: SimFlavor): string {
  return flavor === "ghes" ? "/github-apps" : "/apps";
}

/** A plain 404 like GHES's web front answers for a path it does not serve. */
function webNotFound(): Response {
  return new Response("Not Found\n", {
    status: 404,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}

function withPath(request: Request, url: URL, path: string): Request {
  const moved = new URL(url);
  moved.pathname = path;
  return new Request(moved, request);
}

/**
 * Maps a request onto the simulator's routes, which are written at github.com's paths: on GHES,
 * `/api/v3/<route>` becomes `<route>` (only API routes: a web page under `/api/v3` is 404) and
 * `/github-apps/...` becomes `/apps/...`, while an API route or `/apps/...` at the root answers 404 — so a
 * client that builds a github.com path against a GHES base fails here as it would against GHES. On
 * github.com nothing moves (`/api/v3/...` is simply unknown there). Control routes (`/_sim`) stay at the root.
 */
export function routeForFlavor(flavor: SimFlavor, request: Request): Request | Response {
  if (flavor === "dotcom") return request;
  const url = new URL(request.url);
  const path = url.pathname;
  if (path.startsWith("/_sim")) return request;
  if (path === GHES_API_PREFIX || path.startsWith(`${GHES_API_PREFIX}/`)) {
    const inner = path.slice(GHES_API_PREFIX.length) || "/";
    if (classify(request.method, inner).surface === "web" || inner.startsWith("/_sim")) return webNotFound();
    return withPath(request, url, inner);
  }
  const pages = `${appPagesPrefix("ghes")}/`;
  if (path.startsWith(pages)) return withPath(request, url, `/apps/${path.slice(pages.length)}`);
  if (path === "/") return request;
  const { surface } = classify(request.method, path);
  if (surface === "api" || path.startsWith("/apps/")) return webNotFound();
  return request;
}
