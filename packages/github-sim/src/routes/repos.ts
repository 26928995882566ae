/**
 * `GET /repos/{owner}/{repo}` with the `permissions` the caller has, 404 where GitHub hides the
 * repository, and `GET /rate_limit`.
 */
import type { Hono } from "hono";
import { installationTokenReaches, userTokenAccess } from "../access.ts";
import { rateLimitBucket } from "../auth.ts";
import { bases, principal, type SimEnv } from "../context.ts";
import { badCredentials, DOC_URLS, ghError, json, notAccessibleByIntegration, notFound } from "../http.ts";
import { consume } from "../rate-limit.ts";
import { fullRepository, installationRepoPermissions, rolePermissions } from "../views.ts";

/** Registers the routes on `app`. */
export function registerRepoRoutes(app: Hono<SimEnv>): void {
  app.get("/repos/:owner/:repo", async (c) => {
    const doc = DOC_URLS.getRepo;
    const p = await principal(c);
    const store = c.env.store;
    const repo = store.repoByName(c.req.param("owner"), c.req.param("repo"));
    const b = bases(c);
    switch (p.kind) {
      case "invalid":
        return badCredentials();
      case "suspended":
        return ghError(403, "This installation has been suspended", doc);
      case "app":
        return notAccessibleByIntegration(doc);
      case "none":
        if (!repo || repo.private) return notFound(doc);
        return json(fullRepository(store, b, repo, null));
      case "user": {
        const access = repo ? userTokenAccess(store, p.app, p.user, repo) : null;
        if (!repo || !access) return notFound(doc);
        return json(fullRepository(store, b, repo, rolePermissions(access.role)));
      }
      case "installation": {
        if (!repo) return notFound(doc);
        const reaches = installationTokenReaches(store, p.installation.id, p.token.repositoryIds, repo);
        if (!reaches) {
          if (repo.private) return notFound(doc);
          return json(fullRepository(store, b, repo, rolePermissions(null)));
        }
        return json(fullRepository(store, b, repo, installationRepoPermissions(p.token.permissions ?? {})));
      }
      default:
        return badCredentials();
    }
  });

  app.get("/rate_limit", async (c) => {
    const p = await principal(c);
    if (p.kind === "invalid") return badCredentials();
    const store = c.env.store;
    const limit = p.kind === "none" ? store.settings.rateLimitUnauthenticated : store.settings.rateLimitCore;
    const s = consume(
      store,
      rateLimitBucket(p, c.req.header("cf-connecting-ip") ?? "127.0.0.1").key,
      limit,
      false,
    );
    const core = { limit: s.limit, used: s.used, remaining: s.remaining, reset: s.reset };
    const other = (l: number) => ({
      limit: l,
      used: 0,
      remaining: l,
      reset: store.clock.nowSeconds() + 3600,
    });
    return json({
      resources: { core, search: other(30), graphql: other(5000), integration_manifest: other(5000) },
      rate: core,
    });
  });
}
