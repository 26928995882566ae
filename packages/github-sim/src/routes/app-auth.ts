/**
 * App-authenticated routes (JWT) and installation-token routes:
 * `GET /app`, `GET /app/installations/{id}`, `POST /app/installations/{id}/access_tokens`,
 * `GET /repos/{owner}/{repo}/installation`, `DELETE /installation/token`, `GET /installation/repositories`.
 */
import type { Hono } from "hono";
import { narrowPermissions } from "../access.ts";
import type { Principal } from "../auth.ts";
import { bases, principal, type SimEnv } from "../context.ts";
import { DOC_URLS, ghError, json, noContent, notFound, validationFailed } from "../http.ts";
import { issueInstallationToken, requestedTokenFormat, revokeToken, STATELESS_HEADER } from "../issue.ts";
import { JWT_MESSAGES } from "../jwt.ts";
import type { SimApp } from "../types.ts";
import { installation as installationView, integration, repository } from "../views.ts";

/** The App of a JWT principal, or the 401 GitHub answers otherwise. */
export function requireApp(p: Principal, documentationUrl: string): SimApp | Response {
  if (p.kind === "app") return p.app;
  if (p.kind === "invalid") return ghError(401, p.message, documentationUrl);
  return ghError(401, JWT_MESSAGES.undecodable, documentationUrl);
}

const SUSPENDED = "This installation has been suspended";

/** Registers the routes on `app`. */
export function registerAppAuthRoutes(app: Hono<SimEnv>): void {
  app.get("/app", async (c) => {
    const a = requireApp(await principal(c), DOC_URLS.getApp);
    if (a instanceof Response) return a;
    return json(integration(c.env.store, bases(c), a));
  });

  app.get("/app/installations/:installation_id", async (c) => {
    const a = requireApp(await principal(c), DOC_URLS.getInstallation);
    if (a instanceof Response) return a;
    const i = c.env.store.installations.get(Number(c.req.param("installation_id")));
    if (!i || i.appId !== a.id) return notFound(DOC_URLS.getInstallation);
    return json(installationView(c.env.store, bases(c), i));
  });

  app.get("/repos/:owner/:repo/installation", async (c) => {
    const a = requireApp(await principal(c), DOC_URLS.getRepoInstallation);
    if (a instanceof Response) return a;
    const store = c.env.store;
    const repo = store.repoByName(c.req.param("owner"), c.req.param("repo"));
    const i = repo ? store.installationForRepo(a.id, repo) : undefined;
    if (!i) return notFound(DOC_URLS.getRepoInstallation);
    return json(installationView(store, bases(c), i));
  });

  app.post("/app/installations/:installation_id/access_tokens", async (c) => {
    const doc = DOC_URLS.createInstallationToken;
    const a = requireApp(await principal(c), doc);
    if (a instanceof Response) return a;
    const text = await c.req.text();
    let parsed: unknown = {};
    try {
      parsed = text.trim() === "" ? {} : JSON.parse(text);
    } catch {
      return ghError(400, "Problems parsing JSON", DOC_URLS.createInstallationToken);
    }
    const store = c.env.store;
    const i = store.installations.get(Number(c.req.param("installation_id")));
    if (!i || i.appId !== a.id) return notFound(doc);
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
      return validationFailed(
        `Invalid request.\n\nFor 'links/0/schema', ${JSON.stringify(parsed)} is not an object.`,
        doc,
      );
    }
    const body = parsed as Record<string, unknown>;
    if (i.suspendedAt) return ghError(403, SUSPENDED, doc);
    const reachable = store.installationRepos(i);
    let repoIds: number[] | null = null;
    const { repositories, repository_ids: repositoryIds, permissions } = body;
    if (repositories !== undefined || repositoryIds !== undefined) {
      const names = repositories ?? [];
      const ids = repositoryIds ?? [];
      if (!Array.isArray(names) || !Array.isArray(ids)) return validationFailed("Invalid request.", doc);
      const picked = new Set<number>();
      for (const name of names) {
        const r =
          typeof name === "string"
            ? reachable.find((x) => x.name.toLowerCase() === name.toLowerCase())
            : undefined;
        if (!r) {
          return validationFailed(
            "There is at least one repository that does not exist or is not accessible to the parent installation.",
            doc,
          );
        }
        picked.add(r.id);
      }
      for (const id of ids) {
        const r = reachable.find((x) => x.id === id);
        if (!r) {
          return validationFailed(
            "There is at least one repository that does not exist or is not accessible to the parent installation.",
            doc,
          );
        }
        picked.add(r.id);
      }
      if (picked.size > 500) return validationFailed("Too many repositories requested (maximum 500).", doc);
      repoIds = [...picked];
    }
    const narrowed = narrowPermissions(i.permissions, permissions);
    if (!narrowed.ok)
      return validationFailed("The permissions requested are not granted to this installation.", doc);
    const effective = { ...narrowed.permissions };
    if (permissions !== undefined && i.permissions.metadata && !effective.metadata)
      effective.metadata = "read";
    const token = issueInstallationToken(
      store,
      i,
      effective,
      repoIds,
      requestedTokenFormat(c.req.header(STATELESS_HEADER)),
    );
    const selection = repoIds !== null ? "selected" : i.repositorySelection;
    const b = bases(c);
    const listed =
      repoIds !== null
        ? reachable.filter((r) => repoIds.includes(r.id))
        : selection === "selected"
          ? reachable
          : null;
    return json(
      {
        token: token.token,
        expires_at: token.expiresAt,
        permissions: effective,
        repository_selection: selection,
        ...(listed ? { repositories: listed.map((r) => repository(store, b, r)) } : {}),
      },
      201,
    );
  });

  app.delete("/installation/token", async (c) => {
    const p = await principal(c);
    if (p.kind === "suspended") return ghError(403, SUSPENDED, DOC_URLS.revokeInstallationToken);
    if (p.kind !== "installation") return ghError(401, "Bad credentials", "https://docs.github.com/rest");
    revokeToken(c.env.store, p.token, "revoked by DELETE /installation/token");
    return noContent();
  });

  app.get("/installation/repositories", async (c) => {
    const p = await principal(c);
    const doc = DOC_URLS.listInstallationRepos;
    if (p.kind === "suspended") return ghError(403, SUSPENDED, doc);
    if (p.kind !== "installation") return ghError(401, "Bad credentials", "https://docs.github.com/rest");
    const store = c.env.store;
    const ids = p.token.repositoryIds;
    const repos = store.installationRepos(p.installation).filter((r) => ids === null || ids.includes(r.id));
    const b = bases(c);
    return json({
      total_count: repos.length,
      repository_selection: ids !== null ? "selected" : p.installation.repositorySelection,
      repositories: repos.map((r) => repository(store, b, r)),
    });
  });
}
