/**
 * The simulator's Hono app and its request pipeline: latency, injected faults, primary rate limits,
 * GitHub's response headers (`date` from the sim clock, `x-github-request-id`, `x-ratelimit-*` on API
 * answers), and the call log. Control routes (`/_sim/*`) bypass the pipeline.
 */
import { Hono } from "hono";
import { type Principal, rateLimitBucket } from "./auth.ts";
import { describeAuth, recordCall } from "./call-log.ts";
import { principal, type SimEnv } from "./context.ts";
import { faultResponse, latencyFor, rateLimitMessage, takeFault } from "./faults.ts";
import { GHES_VERSION } from "./flavor.ts";
import { DOC_URLS, DOCS, ghError, json, readParams } from "./http.ts";
import { isLockedOut, LOCKOUT_MESSAGE, lockoutKey, recordFailedLogin } from "./lockout.ts";
import { consume, type RateStatus, rateHeaders } from "./rate-limit.ts";
import { classify } from "./route-table.ts";
import { registerAppAuthRoutes } from "./routes/app-auth.ts";
import { registerAvatarRoutes } from "./routes/avatars.ts";
import { registerControlRoutes } from "./routes/control.ts";
import { registerDeviceRoutes } from "./routes/device.ts";
import { registerGrantRoutes } from "./routes/grants.ts";
import { registerInstallRoutes } from "./routes/install.ts";
import { registerMetaRoutes } from "./routes/meta.ts";
import { registerMoveRoutes } from "./routes/moves.ts";
import { registerOAuthRoutes } from "./routes/oauth.ts";
import { registerRepoRoutes } from "./routes/repos.ts";
import { registerSeedRoutes } from "./routes/seed.ts";
import { registerAppSeedRoutes } from "./routes/seed-apps.ts";
import { registerSsoRoutes } from "./routes/sso.ts";
import { registerUserRoutes } from "./routes/users.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function requestId(): string {
  const hex = [...crypto.getRandomValues(new Uint8Array(10))]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");
  return `${hex.slice(0, 4)}:${hex.slice(4, 10)}:${hex.slice(10, 16)}:${hex.slice(16)}`.toUpperCase();
}

/** Builds the simulator app (one per Durable Object instance). */
export function createApp(): Hono<SimEnv> {
  const app = new Hono<SimEnv>();

  app.use("*", async (c, next) => {
    const path = new URL(c.req.url).pathname;
    if (path.startsWith("/_sim")) {
      await next();
      return;
    }
    const store = c.env.store;
    const started = Date.now();
    const method = c.req.method;
    const { route, surface } = classify(method, path);
    const grantType =
      method === "POST" && path === "/login/oauth/access_token"
        ? ((await readParams(c.req.raw.clone())).grant_type ?? "authorization_code")
        : null;
    const authHeader = c.req.header("authorization") ?? null;

    const delay = latencyFor(store, method, path, grantType);
    if (delay > 0) await sleep(delay);

    let p: Principal | null = null;
    let bucket = { key: "ip:127.0.0.1", label: "127.0.0.1" };
    if (surface === "api") {
      p = await principal(c);
      bucket = rateLimitBucket(p, c.req.header("cf-connecting-ip") ?? "127.0.0.1");
    }
    const limit =
      p?.kind === "none" || p?.kind === "invalid"
        ? store.settings.rateLimitUnauthenticated
        : store.settings.rateLimitCore;

    let res: Response;
    let rate: RateStatus | null = null;
    // GitHub's failed login limit (lockout.ts): a locked-out person's every token is refused.
    const lockKey = surface === "api" ? lockoutKey(store, authHeader) : null;
    const locked = lockKey !== null && isLockedOut(store, lockKey);
    const fault = locked ? null : takeFault(store, method, path, grantType);
    if (locked) {
      res = ghError(403, LOCKOUT_MESSAGE, DOCS);
    } else if (fault) {
      if (fault.delayMs > 0) await sleep(fault.delayMs);
      if (surface === "api" && fault.kind !== "rate_limit") rate = consume(store, bucket.key, limit);
      res = faultResponse(store, fault, { limit, used: rate?.used ?? limit, label: bucket.label });
    } else if (surface === "api") {
      rate = consume(store, bucket.key, limit, route !== "GET /rate_limit");
      if (rate.exceeded) {
        res = ghError(403, rateLimitMessage(bucket.label), DOC_URLS.rateLimits);
      } else {
        await next();
        res = c.res;
      }
    } else {
      await next();
      res = c.res;
    }

    if (lockKey !== null && !locked && res.status === 401) recordFailedLogin(store, lockKey);
    const headers = new Headers(res.headers);
    headers.set("date", new Date(store.clock.nowMs()).toUTCString());
    headers.set("x-github-request-id", requestId());
    if (surface === "api") {
      headers.set("x-github-media-type", "github.v3; format=json");
      headers.set("x-github-api-version-selected", "2022-11-28");
      // GHES names its release on every API answer; clients (Octokit, gh) read it to tell GHES apart.
      if (store.flavor === "ghes") headers.set("x-github-enterprise-version", GHES_VERSION);
      if (rate)
        for (const [k, v] of Object.entries(rateHeaders(rate))) if (!headers.has(k)) headers.set(k, v);
    }
    const auth = await describeAuth(authHeader);
    recordCall(store, {
      time: new Date(store.clock.nowMs()).toISOString(),
      method,
      path,
      route,
      status: res.status,
      durationMs: Date.now() - started,
      grantType,
      auth,
      fault: fault ? fault.kind : null,
    });
    c.res = new Response(res.body, { status: res.status, statusText: res.statusText, headers });
  });

  app.get("/_sim/health", (c) =>
    json({ ok: true, now: c.env.store.clock.iso(), flavor: c.env.store.flavor }),
  );
  registerControlRoutes(app);
  // Before the /repos routes: a moved repository's old path answers the redirect, not a 404.
  registerMoveRoutes(app);
  registerSeedRoutes(app);
  registerAppSeedRoutes(app);
  registerAppAuthRoutes(app);
  registerMetaRoutes(app);
  registerUserRoutes(app);
  registerRepoRoutes(app);
  registerGrantRoutes(app);
  registerOAuthRoutes(app);
  registerDeviceRoutes(app);
  registerInstallRoutes(app);
  registerAvatarRoutes(app);
  registerSsoRoutes(app);

  app.notFound((c) =>
    new URL(c.req.url).pathname.startsWith("/_sim")
      ? json({ error: "unknown control route" }, 404)
      : ghError(404, "Not Found", DOCS),
  );
  app.onError((err) => {
    console.error("github-sim: unhandled error", err);
    return ghError(500, "Server Error", DOCS);
  });
  return app;
}
