/**
 * `SimState`: the one Durable Object holding the simulator. Thin on purpose: every request runs in
 * the object (so state changes are serialized), through the Hono app, against a `SimStore` kept in
 * the object's synchronous KV storage.
 */
import { DurableObject } from "cloudflare:workers";
import type { Hono } from "hono";
import { createApp } from "./app.ts";
import type { SimEnv } from "./context.ts";
import { SimStore } from "./state.ts";

/** The simulator's Durable Object. */
export class SimState extends DurableObject {
  readonly #store: SimStore;
  readonly #app: Hono<SimEnv>;

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    this.#store = new SimStore(ctx.storage.kv);
    this.#app = createApp();
  }

  /** Handles every simulator request. */
  override async fetch(request: Request): Promise<Response> {
    return this.#app.fetch(request, {
      store: this.#store,
      background: (p: Promise<unknown>) => this.ctx.waitUntil(p),
    });
  }
}
