/**
 * The Hono environment every route shares: the store, background work, and the caller
 * (resolved once per request by the pipeline).
 */
import type { Context } from "hono";
import { type Principal, resolvePrincipal } from "./auth.ts";
import { appPagesPrefix, GHES_API_PREFIX } from "./flavor.ts";
import type { SimStore } from "./state.ts";
import type { Bases } from "./views.ts";

/** What the Durable Object hands the app with every request. */
export interface SimBindings {
  store: SimStore;
  /** Keeps work (webhook deliveries) running after the answer. */
  background(promise: Promise<unknown>): void;
}

/** Hono generics of the simulator app. */
export interface SimEnv {
  Bindings: SimBindings;
  Variables: { principal: Principal };
}

/** A route handler's context. */
export type SimContext = Context<SimEnv>;

/**
 * The bases GitHub would use for links (api.github.com, github.com): the simulator's own origin, with
 * `/api/v3` for the API and `/github-apps` for App pages on GHES, so every URL in a body is one a client
 * of that GitHub could follow.
 */
export function bases(c: SimContext): Bases {
  const origin = c.req.header("x-github-sim-origin") ?? new URL(c.req.url).origin;
  const flavor = c.env.store.flavor;
  return {
    api: flavor === "ghes" ? `${origin}${GHES_API_PREFIX}` : origin,
    web: origin,
    apps: `${origin}${appPagesPrefix(flavor)}`,
  };
}

/** The caller, resolved once per request. */
export async function principal(c: SimContext): Promise<Principal> {
  const cached = c.get("principal");
  if (cached) return cached;
  const p = await resolvePrincipal(c.env.store, c.req.header("authorization") ?? null);
  c.set("principal", p);
  return p;
}
