import { Hono } from "hono";
import { checkSuiteHealth } from "./healthz.ts";
import { type AppEnv, config, requestLog } from "./request-context.ts";
import { githubRoutes } from "./routes/github.ts";
import { settingsRoutes } from "./routes/settings.tsx";
import { webhookRoutes } from "./routes/webhooks.ts";
import { securityHeaders } from "./security-headers.ts";

export { ConnectService } from "./connect-service.ts";
export { DeviceAuthorization } from "./device-authorization.ts";

const app = new Hono<AppEnv>();

app.use(async (c, next) => {
  c.set("config", config(c));
  c.set("log", requestLog(c.req.raw));
  await next();
});
app.use(securityHeaders());

app.get("/healthz", async (c) => {
  const health = await checkSuiteHealth(c.env, (p) => c.executionCtx.waitUntil(p));
  return c.json(health, health.ok ? 200 : 503);
});
app.get("/", (c) => c.redirect("/settings", 302));
app.route("/", settingsRoutes);
app.route("/", githubRoutes);
app.route("/", webhookRoutes);

app.notFound((c) => c.text("Not found", 404));
app.onError((error, c) => {
  c.get("log").error("unhandled error", {
    error: error instanceof Error ? { name: error.name, message: "redacted" } : "unknown",
  });
  return c.text("Something went wrong.", 500);
});

export default app;
