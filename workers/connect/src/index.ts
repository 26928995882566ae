import { errorFields } from "@gitcred/utils";
import { Hono } from "hono";
import { sharedSuiteHealth } from "./healthz.ts";
import { type AppEnv, requestLog, withRequestContext } from "./request-context.ts";
import { accountActionRoutes } from "./routes/account-actions.tsx";
import { assetRoutes } from "./routes/assets.ts";
import { confirmRoutes } from "./routes/confirm.tsx";
import { devLoginRoutes } from "./routes/dev-login.ts";
import { devSandboxApiRoutes } from "./routes/dev-sandbox-api.ts";
import { githubRoutes } from "./routes/github.ts";
import { installRoutes } from "./routes/install.ts";
import { settingsRoutes } from "./routes/settings.tsx";
import { settingsLinkRoutes } from "./routes/settings-link.tsx";
import { webhookRoutes } from "./routes/webhooks.ts";
import { securityHeaders } from "./security-headers.ts";

export { ConnectService } from "./connect-service.ts";
export { DeviceAuthorization } from "./device-authorization.ts";

const app = new Hono<AppEnv>();

app.use(withRequestContext);
app.use(securityHeaders());

app.get("/healthz", async (c) => {
  const health = await sharedSuiteHealth(c.env, (p) => c.executionCtx.waitUntil(p));
  return c.json(health, health.ok ? 200 : 503);
});
app.get("/", (c) => c.redirect("/settings", 302));
app.route("/", assetRoutes);
app.route("/", settingsRoutes);
app.route("/", confirmRoutes);
app.route("/", accountActionRoutes);
app.route("/", settingsLinkRoutes);
app.route("/", githubRoutes);
app.route("/", installRoutes);
app.route("/", webhookRoutes);
app.route("/", devLoginRoutes);
app.route("/", devSandboxApiRoutes);

app.notFound((c) => c.text("Not found", 404));
app.onError((error, c) => {
  // errorFields keeps name, status and a redacted message: never a request body or a token.
  (c.get("log") ?? requestLog(c.req.raw)).error("unhandled error", { error: errorFields(error) });
  return c.text("Something went wrong.", 500);
});

export default app;
