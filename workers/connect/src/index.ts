import { Hono } from "hono";
import { checkSuiteHealth } from "./healthz.ts";

export { DeviceAuthorization } from "./device-authorization.ts";

const app = new Hono<{ Bindings: Env }>();

app.get("/healthz", async (c) => {
  const health = await checkSuiteHealth(c.env, (p) => c.executionCtx.waitUntil(p));
  return c.json(health, health.ok ? 200 : 503, { "cache-control": "no-store" });
});

export default app;
