import { Hono } from "hono";
import type { AppEnv } from "../request-context.ts";
import { isLocalDev } from "./local-dev.ts";

export const devSandboxApiRoutes = new Hono<AppEnv>();

/**
 * Local development only: `/sessions/*` on this worker's address is the session worker's sandbox API
 * (`wrangler dev` serves only the first worker on a port), so a developer can point the credential
 * helper at `http://127.0.0.1:8787`. The request goes through unchanged over the SESSION binding and the
 * session worker authenticates it with the session secret as in production. A 404 outside local dev
 * (see isLocalDev): in production a platform routes sandboxes to the session worker itself.
 */
devSandboxApiRoutes.all("/sessions/*", (c) => {
  if (!isLocalDev(c)) return c.text("Not found", 404);
  return c.env.SESSION.fetch(c.req.raw);
});
