import type { Context } from "hono";
import type { AppEnv } from "../request-context.ts";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * Whether this request may use a local-development route: DEV_LOGIN is "true" (only `pnpm dev` sets it),
 * this worker's PUBLIC_URL is plain-http loopback, and the request itself came to a loopback host. All
 * three, so no deployed configuration can expose a dev route, even with DEV_LOGIN set by mistake.
 */
export function isLocalDev(c: Context<AppEnv>): boolean {
  const publicUrl = new URL(c.get("config").publicUrl);
  const requestHost = new URL(c.req.url).hostname;
  return (
    c.env.DEV_LOGIN === "true" &&
    publicUrl.protocol === "http:" &&
    LOOPBACK.has(publicUrl.hostname) &&
    LOOPBACK.has(requestHost)
  );
}
