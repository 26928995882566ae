/**
 * `GET /repos/{owner}/{repo}` with the `permissions` the caller has, 404 where GitHub hides the
 * repository, and `GET /rate_limit`.
 */
import type { Hono } from "hono";
import { installationTokenReaches, userTokenAccess } from "../access.ts";
import { rateLimitBucket } from "../auth.ts";
import { bases, principal, type SimContext, type SimEnv } from "../context.ts";
import { badCredentials, DOC_URLS, ghError, json, notAccessibleByIntegration, notFound } from "../http.ts";
import { consume } from "../rate-limit.ts";
import { createSsoRequest, SAML_DOC, SAML_MESSAGE, ssoBlocks, ssoRequiredHeader } from "../saml.ts";
import type { SimRepo } from "../types.ts";
import { fullRepository, installationRepoPermissions, rolePermissions } from "../views.ts";

/**
 * `GET /repos/{owner}/{repo}` (and `GET /repositories/{id}`, where a redirect leads) for `repo`: the
 * view with the caller's `permissions`, 404 where GitHub hides it.
 */
export async function answerRepository(c: SimContext, repo: SimRepo | undefined): Promise<Response> {
  const doc = DOC_URLS.getRepo;
  const p = await principal(c);
  const store = c.env.store;
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
      const org = repo ? store.accounts.get(repo.ownerId) : undefined;
      if (org && ssoBlocks(store, p.token, p.user, org)) {
        // A member's token without SSO authorization for a SAML org: 403 with the authorize URL.
        const request = createSsoRequest(store, b.web, p.token, org);
        return ghError(403, SAML_MESSAGE, SAML_DOC, {}, ssoRequiredHeader(request));
      }
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
}

/** Registers the routes on `app`. */
export function registerRepoRoutes(app: Hono<SimEnv>): void {
  app.get("/repos/:owner/:repo", async (c) =>
    answerRepository(c, c.env.store.repoByName(c.req.param("owner"), c.req.param("repo"))),
  );

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
