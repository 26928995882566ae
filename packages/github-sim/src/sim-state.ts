/**
 * `SimState`: the one Durable Object holding the simulator. Thin on purpose: every request runs in
 * the object (so state changes are serialized), through the Hono app, against a `SimStore` kept in
 * the object's synchronous KV storage.
 */
import { DurableObject } from "cloudflare:workers";
import type { Hono } from "hono";
import { createApp } from "./app.ts";
import type { SimEnv } from "./context.ts";
import { parseFlavor, routeForFlavor } from "./flavor.ts";
import type { Env } from "./index.ts";
import { parseTokenFormat } from "./issue.ts";
import { SimStore } from "./state.ts";

/** The simulator's Durable Object. */
export class SimState extends DurableObject<Env> {
  readonly #store: SimStore;
  readonly #app: Hono<SimEnv>;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#store = new SimStore(ctx.storage.kv, {
      flavor: parseFlavor(env.GITHUB_SIM_FLAVOR),
      tokenFormat: parseTokenFormat(env.GITHUB_SIM_TOKEN_FORMAT),
    });
    this.#app = createApp();
  }

  /** Handles every simulator request, first mapped onto github.com's paths when the flavor is GHES. */
  override async fetch(request: Request): Promise<Response> {
    const routed = routeForFlavor(this.#store.flavor, request);
    if (routed instanceof Response) return routed;
    return this.#app.fetch(routed, {
      store: this.#store,
      background: (p: Promise<unknown>) => this.ctx.waitUntil(p),
    });
  }
}
