/**
 * Control API (not GitHub): reset, sign-in session, clock, settings, tokens (list, check, revoke),
 * grants, faults and latency, call log and counters, webhooks, device approval without a browser.
 */
import type { Hono } from "hono";
import { installationTokenReaches, userTokenAccess } from "../access.ts";
import { tokenIsLive } from "../auth.ts";
import { callsSince } from "../call-log.ts";
import { isExpired } from "../clock.ts";
import { bases, type SimEnv } from "../context.ts";
import { addFault, addLatency } from "../faults.ts";
import { json, readJsonObject } from "../http.ts";
import { revokeGrant, revokeToken } from "../issue.ts";
import type { SimStore } from "../state.ts";
import { tokenPrefix } from "../tokens.ts";
import type { SimToken } from "../types.ts";
import { appAuthorizationRevokedPayload, deliver } from "../webhooks.ts";
import { decideDevice, findPendingByUserCode } from "./device.ts";
import { bad } from "./seed.ts";

function tokenStatus(store: SimStore, t: SimToken): "active" | "revoked" | "expired" {
  if (t.revokedAt) return "revoked";
  return isExpired(store.clock, t.expiresAt) ? "expired" : "active";
}

/** What `/_sim/tokens/check` answers for a token and repository. */
export function checkToken(
  store: SimStore,
  tokenString: string,
  owner: string | undefined,
  repoName: string | undefined,
) {
  const t = store.tokens.get(tokenString);
  if (!t) return { valid: false, reason: "unknown" };
  const base = { kind: t.kind, prefix: tokenPrefix(t.token), expiresAt: t.expiresAt };
  if (t.kind === "refresh") return { ...base, valid: false, reason: "not_an_access_token" };
  if (!tokenIsLive(store, t)) return { ...base, valid: false, reason: tokenStatus(store, t) };
  const repo = owner && repoName ? store.repoByName(owner, repoName) : undefined;
  const app = store.apps.get(t.appId);
  if (!app) return { ...base, valid: false, reason: "app_deleted" };
  if (t.kind === "user") {
    const user = t.userId === null ? undefined : store.accounts.get(t.userId);
    if (!user || !store.grants.get(`${t.appId}:${user.id}`))
      return { ...base, valid: false, reason: "revoked" };
    const who = { login: user.login, userId: user.id };
    if (!repo) return { ...base, ...who, valid: true, repoFound: false, pull: false, push: false };
    const access = userTokenAccess(store, app, user, repo);
    if (!access) return { ...base, ...who, valid: true, repoFound: false, pull: false, push: false };
    const installation = store.installationForRepo(app.id, repo);
    // A user token has what both the person and the App have.
    const canWrite = access.role !== null && ["admin", "maintain", "write"].includes(access.role);
    const push = canWrite && installation?.permissions.contents === "write" && !installation.suspendedAt;
    return { ...base, ...who, valid: true, repoFound: true, role: access.role, pull: true, push };
  }
  const installation = t.installationId === null ? undefined : store.installations.get(t.installationId);
  if (!installation) return { ...base, valid: false, reason: "installation_deleted" };
  if (installation.suspendedAt) return { ...base, valid: false, reason: "suspended" };
  const who = { login: `${app.slug}[bot]`, userId: app.botUserId, installationId: installation.id };
  if (!repo) return { ...base, ...who, valid: true, repoFound: false, pull: false, push: false };
  const reaches = installationTokenReaches(store, installation.id, t.repositoryIds, repo);
  if (!reaches) {
    return { ...base, ...who, valid: true, repoFound: !repo.private, pull: !repo.private, push: false };
  }
  return {
    ...base,
    ...who,
    valid: true,
    repoFound: true,
    pull: true,
    push: t.permissions?.contents === "write",
  };
}

/** Registers the control routes. */
export function registerControlRoutes(app: Hono<SimEnv>): void {
  const body = async (req: Request) => (await readJsonObject(req)) ?? {};

  app.post("/_sim/reset", (c) => {
    c.env.store.reset();
    return json({ reset: true });
  });

  // The address `pnpm dev` prints: what a developer opening it wants to know (what is seeded, where the
  // controls are), instead of "unknown control route".
  for (const index of ["/_sim", "/_sim/"]) {
    app.get(index, (c) => {
      const s = c.env.store;
      return json({
        simulator:
          s.flavor === "ghes"
            ? "gitcred's local GitHub Enterprise Server (REST API at /api/v3, web and OAuth pages at /login/...)"
            : "gitcred's local GitHub (REST API at /, web and OAuth pages at /login/...)",
        flavor: s.flavor,
        now: s.clock.iso(),
        seeded: {
          accounts: s.accounts.values().map((a) => a.login),
          repos: s.repos.values().length,
          apps: s.apps.values().map((app) => app.slug),
          installations: s.installations.values().length,
          grants: s.grants.values().length,
        },
        seedDemo:
          "pnpm seed-demo seeds octocat, the org acme, acme/widgets and the dev App installed on acme",
        control: [
          "GET /_sim/state",
          "GET /_sim/calls",
          "GET /_sim/counters",
          "GET /_sim/clock",
          "POST /_sim/reset",
        ],
        docs: "packages/github-sim/README.md (Control API)",
      });
    });
  }

  app.get("/_sim/state", (c) => {
    const s = c.env.store;
    return json({
      settings: s.settings,
      now: s.clock.iso(),
      accounts: s.accounts.values(),
      repos: s.repos.values(),
      apps: s.apps.values(),
      installations: s.installations.values(),
      grants: s.grants.values(),
    });
  });

  app.put("/_sim/session", async (c) => {
    const b = await body(c.req.raw);
    const store = c.env.store;
    const patch: { signedInLogin?: string | null; autoApprove?: "off" | "approve" | "deny" } = {};
    if (b.login === null) patch.signedInLogin = null;
    else if (typeof b.login === "string") {
      const who = store.accountByLogin(b.login);
      if (who?.type !== "User") return bad(`${b.login} is not a seeded user`);
      patch.signedInLogin = who.login;
    }
    if (b.autoApprove !== undefined) {
      const v = b.autoApprove === true ? "approve" : b.autoApprove === false ? "off" : b.autoApprove;
      if (v !== "off" && v !== "approve" && v !== "deny")
        return bad("autoApprove must be off, approve, deny or a boolean");
      patch.autoApprove = v;
    }
    const s = store.updateSettings(patch);
    return json({ login: s.signedInLogin, autoApprove: s.autoApprove });
  });

  app.get("/_sim/clock", (c) => {
    const s = c.env.store;
    return json({ now: new Date(s.clock.nowMs()).toISOString(), offsetMs: s.settings.clockOffsetMs });
  });

  app.post("/_sim/clock", async (c) => {
    const b = await body(c.req.raw);
    const s = c.env.store;
    if (typeof b.advanceSeconds === "number" && Number.isFinite(b.advanceSeconds)) {
      s.updateSettings({ clockOffsetMs: s.settings.clockOffsetMs + b.advanceSeconds * 1000 });
    } else if (typeof b.setTo === "string" && !Number.isNaN(Date.parse(b.setTo))) {
      s.updateSettings({ clockOffsetMs: Date.parse(b.setTo) - Date.now() });
    } else if (b.reset === true) {
      s.updateSettings({ clockOffsetMs: 0 });
    } else {
      return bad("give advanceSeconds (number), setTo (ISO time) or reset: true");
    }
    return json({ now: new Date(s.clock.nowMs()).toISOString(), offsetMs: s.settings.clockOffsetMs });
  });

  app.get("/_sim/settings", (c) => json(c.env.store.settings));

  app.put("/_sim/settings", async (c) => {
    const b = await body(c.req.raw);
    const patch: Record<string, unknown> = {};
    if (b.tokenFormat !== undefined) {
      if (b.tokenFormat !== "classic" && b.tokenFormat !== "stateless" && b.tokenFormat !== "rollout")
        return bad("tokenFormat must be classic, stateless or rollout");
      patch.tokenFormat = b.tokenFormat;
    }
    for (const k of [
      "rateLimitCore",
      "rateLimitUnauthenticated",
      "lockoutThreshold",
      "lockoutWindowSeconds",
      "lockoutSeconds",
    ] as const) {
      if (b[k] !== undefined) {
        if (typeof b[k] !== "number" || b[k] < 0) return bad(`${k} must be a number >= 0`);
        patch[k] = b[k];
      }
    }
    return json(c.env.store.updateSettings(patch));
  });

  // Every OAuth code and device code handed out: other tests' canary scans look for these too.
  app.get("/_sim/codes", (c) => {
    const s = c.env.store;
    return json({
      authorizationCodes: s.codes.values().map((code) => code.code),
      deviceCodes: s.devices.values().map((device) => device.deviceCode),
    });
  });

  app.get("/_sim/tokens", (c) => {
    const s = c.env.store;
    return json(
      s.tokens.values().map((t) => ({
        token: t.token,
        kind: t.kind,
        prefix: tokenPrefix(t.token),
        appId: t.appId,
        userId: t.userId,
        installationId: t.installationId,
        origin: t.origin,
        createdAt: t.createdAt,
        expiresAt: t.expiresAt,
        revokedAt: t.revokedAt,
        revokedReason: t.revokedReason,
        status: tokenStatus(s, t),
      })),
    );
  });

  app.post("/_sim/tokens/check", async (c) => {
    const b = await body(c.req.raw);
    if (typeof b.token !== "string") return bad("token is required");
    const owner = typeof b.owner === "string" ? b.owner : undefined;
    const repo = typeof b.repo === "string" ? b.repo : undefined;
    return json(checkToken(c.env.store, b.token, owner, repo));
  });

  app.post("/_sim/tokens/revoke", async (c) => {
    const b = await body(c.req.raw);
    const s = c.env.store;
    const t = typeof b.token === "string" ? s.tokens.get(b.token) : undefined;
    if (!t) return bad("unknown token", 404);
    revokeToken(s, t, "revoked through /_sim/tokens/revoke");
    return json({ revoked: true });
  });

  app.get("/_sim/grants", (c) => json(c.env.store.grants.values()));

  app.post("/_sim/grants/revoke", async (c) => {
    const b = await body(c.req.raw);
    const s = c.env.store;
    const ref = b.app;
    const a =
      typeof ref === "number"
        ? s.apps.get(ref)
        : typeof ref === "string"
          ? (s.apps.find((x) => x.slug === ref || x.clientId === ref || String(x.id) === ref) ?? undefined)
          : undefined;
    const user = typeof b.user === "string" ? s.accountByLogin(b.user) : undefined;
    if (!a || !user) return bad("app (id, slug or client id) and user (login) are required");
    const revoked = revokeGrant(s, a.id, user.id, "the person revoked the App");
    if (revoked && b.webhook !== false) {
      deliver(
        s,
        a,
        "github_app_authorization",
        appAuthorizationRevokedPayload(bases(c), user),
        c.env.background,
      );
    }
    return json({ revoked });
  });

  app.post("/_sim/faults", async (c) => {
    const r = addFault(c.env.store, await body(c.req.raw));
    return typeof r === "string" ? bad(r) : json(r, 201);
  });
  app.get("/_sim/faults", (c) => json(c.env.store.faults.values()));
  app.delete("/_sim/faults", (c) => {
    c.env.store.faults.clear();
    return json({ cleared: true });
  });
  app.delete("/_sim/faults/:id", (c) => json({ deleted: c.env.store.faults.delete(c.req.param("id")) }));

  app.post("/_sim/latency", async (c) => {
    const r = addLatency(c.env.store, await body(c.req.raw));
    return typeof r === "string" ? bad(r) : json(r, 201);
  });
  app.get("/_sim/latency", (c) => json(c.env.store.latency.values()));
  app.delete("/_sim/latency", (c) => {
    c.env.store.latency.clear();
    return json({ cleared: true });
  });

  app.get("/_sim/calls", (c) => {
    const url = new URL(c.req.url);
    const since = Number(url.searchParams.get("since") ?? "0") || 0;
    const route = url.searchParams.get("route");
    const calls = callsSince(c.env.store, since).filter((e) => !route || e.route === route);
    return json(calls);
  });
  app.delete("/_sim/calls", (c) => {
    c.env.store.calls.clear();
    c.env.store.counters.clear();
    return json({ cleared: true });
  });
  app.get("/_sim/counters", (c) => {
    const s = c.env.store;
    return json(Object.fromEntries(s.counters.keys().map((k) => [k, s.counters.get(k)])));
  });

  app.get("/_sim/webhooks/deliveries", (c) => json(c.env.store.deliveries.values()));

  app.post("/_sim/webhooks/deliver", async (c) => {
    const b = await body(c.req.raw);
    const s = c.env.store;
    const a =
      typeof b.app === "number"
        ? s.apps.get(b.app)
        : s.apps.find((x) => x.slug === b.app || x.clientId === b.app);
    if (!a) return bad("app is required (id, slug or client id)");
    if (typeof b.event !== "string" || !b.payload || typeof b.payload !== "object") {
      return bad("event (string) and payload (object) are required");
    }
    return json(deliver(s, a, b.event, b.payload as Record<string, unknown>, c.env.background), 202);
  });

  app.post("/_sim/device/authorize", async (c) => {
    const b = await body(c.req.raw);
    const s = c.env.store;
    const device = typeof b.userCode === "string" ? findPendingByUserCode(s, b.userCode) : undefined;
    if (!device) return bad("no pending device authorization with this userCode", 404);
    const login = typeof b.login === "string" ? b.login : s.settings.signedInLogin;
    const user = login ? s.accountByLogin(login) : undefined;
    if (!user) return bad("login (or a signed-in person) is required");
    decideDevice(s, device, user.id, b.approve !== false);
    return json({ status: b.approve !== false ? "approved" : "denied" });
  });
}
