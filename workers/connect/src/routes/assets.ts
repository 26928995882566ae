import { Hono } from "hono";
import type { AppEnv } from "../request-context.ts";
import { STYLESHEET_PATH } from "../views/layout.tsx";
import { STYLESHEET } from "../views/stylesheet.ts";

export const assetRoutes = new Hono<AppEnv>();

/**
 * The pages' one stylesheet, from our own origin: the CSP then needs only `style-src 'self'`, never
 * `'unsafe-inline'`. Public and the same for everyone (it holds nothing about anyone).
 */
assetRoutes.get(STYLESHEET_PATH, (c) =>
  c.body(STYLESHEET, 200, { "content-type": "text/css; charset=utf-8" }),
);
