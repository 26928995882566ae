/**
 * People: `GET /users/{username}` (bots as `<slug>[bot]`, orgs too), `GET /user`,
 * `GET /user/installations`.
 */
import type { Hono } from "hono";
import { isOrgMember, userRole } from "../access.ts";
import type { Principal } from "../auth.ts";
import { bases, principal, type SimEnv } from "../context.ts";
import {
  badCredentials,
  DOC_URLS,
  ghError,
  json,
  notAccessibleByIntegration,
  notFound,
  requiresAuthentication,
} from "../http.ts";
import { ssoBlocks, ssoPartialHeader } from "../saml.ts";
import type { SimStore } from "../state.ts";
import type { SimAccount, SimApp, SimInstallation } from "../types.ts";
import { installation as installationView, privateUser, publicUser } from "../views.ts";

/** The answer for callers other than a person's token on a person-only route; null for a person. */
export function rejectNonUser(p: Principal, documentationUrl: string): Response | null {
  switch (p.kind) {
    case "user":
      return null;
    case "none":
      return requiresAuthentication(documentationUrl);
    case "invalid":
      return badCredentials();
    case "suspended":
      return ghError(403, "This installation has been suspended", documentationUrl);
    default:
      return notAccessibleByIntegration(documentationUrl);
  }
}

/** Installations of `app` the person can reach: on their own account, their orgs, or repos they work on. */
export function installationsForUser(store: SimStore, app: SimApp, user: SimAccount): SimInstallation[] {
  return store.installations.filter((i) => {
    if (i.appId !== app.id) return false;
    if (i.accountId === user.id) return true;
    const account = store.accounts.get(i.accountId);
    if (account?.type === "Organization" && isOrgMember(account, user)) return true;
    return store.installationRepos(i).some((r) => userRole(store, user, r) !== null);
  });
}

/** Registers the routes on `app`. */
export function registerUserRoutes(app: Hono<SimEnv>): void {
  app.get("/users/:username", async (c) => {
    const p = await principal(c);
    if (p.kind === "invalid") return badCredentials();
    const account = c.env.store.accountByLogin(c.req.param("username"));
    if (!account) return notFound(DOC_URLS.getUser);
    return json(publicUser(c.env.store, bases(c), account));
  });

  app.get("/user", async (c) => {
    const p = await principal(c);
    const rejected = rejectNonUser(p, DOC_URLS.getAuthenticatedUser);
    if (rejected || p.kind !== "user") return rejected ?? badCredentials();
    return json(privateUser(c.env.store, bases(c), p.user));
  });

  app.get("/user/installations", async (c) => {
    const p = await principal(c);
    const rejected = rejectNonUser(p, DOC_URLS.listUserInstallations);
    if (rejected || p.kind !== "user") return rejected ?? badCredentials();
    const store = c.env.store;
    const b = bases(c);
    // Installations on SAML organizations the token is not authorized for are left out, and named.
    const hidden: number[] = [];
    const list = installationsForUser(store, p.app, p.user).filter((i) => {
      const account = store.accounts.get(i.accountId);
      if (!account || !ssoBlocks(store, p.token, p.user, account)) return true;
      hidden.push(account.id);
      return false;
    });
    return json(
      { total_count: list.length, installations: list.map((i) => installationView(store, b, i)) },
      200,
      ssoPartialHeader(hidden),
    );
  });
}
