import { Hono } from "hono";
import { type AppEnv, database } from "../request-context.ts";
import { createSettingsLink } from "../settings-link.ts";
import { isLocalDev } from "./local-dev.ts";

const DEV_USER = /^[A-Za-z0-9_.:@-]{1,128}$/;

export const devLoginRoutes = new Hono<AppEnv>();

/**
 * Local development only: `GET /dev/login?user=<id>` mints a settings link for that user and follows it,
 * standing in for the agent platform that would otherwise deliver the link. It answers 404 unless
 * DEV_LOGIN is "true" (only `pnpm dev` sets it), this worker's PUBLIC_URL is plain-http loopback, and
 * the request itself came to a loopback host — so no deployed configuration can expose it.
 */
devLoginRoutes.get("/dev/login", async (c) => {
  if (!isLocalDev(c)) return c.text("Not found", 404);
  const user = c.req.query("user") ?? "demo-user";
  if (!DEV_USER.test(user)) return c.text("user must be 1-128 of [A-Za-z0-9_.:@-]", 400);
  const link = await createSettingsLink(database(c).db, {
    userId: user,
    returnTo: "/settings",
    publicUrl: c.get("config").publicUrl,
  });
  return c.redirect(link.url, 303);
});
