/**
 * SAML SSO: the authorize page the `X-GitHub-SSO: required; url=...` URL opens
 * (`/orgs/{org}/sso?authorization_request=...`: Continue authorizes the token's grant for the org, as
 * signing in at the identity provider does), and its control routes: enforce SAML on an org, authorize
 * without a browser, list the URLs handed out (canary scans look for them: they reach the person only).
 */
import type { Hono } from "hono";
import type { SimEnv } from "../context.ts";
import { escapeHtml as e, json, readJsonObject, readParams } from "../http.ts";
import { errorPage, hidden, layout } from "../pages.ts";
import { authorizeGrantForOrg, authorizeSsoRequest, checkSsoRequest } from "../saml.ts";
import { bad } from "./seed.ts";

/** Registers the page and control routes. */
export function registerSsoRoutes(app: Hono<SimEnv>): void {
  app.get("/orgs/:org/sso", (c) => {
    const store = c.env.store;
    const id = c.req.query("authorization_request") ?? "";
    const checked = checkSsoRequest(store, id);
    if (!checked.ok) {
      return checked.reason === "expired"
        ? errorPage("Single sign-on", "This single sign-on request has expired. Try again.", 410)
        : errorPage("Single sign-on", "Unknown single sign-on request.", 404);
    }
    const org = store.account(checked.request.orgId);
    const person = store.account(checked.request.userId);
    return layout(
      "Single sign-on",
      `<h1 id="title">Single sign-on to ${e(org.login)}</h1>
<p class="muted">Authorize the token of <strong id="login">${e(person.login)}</strong> for this organization.</p>
<form method="post" action="/orgs/${e(encodeURIComponent(org.login))}/sso">${hidden({ authorization_request: id })}
<button type="submit" class="primary" id="sso-continue" name="sim_action" value="authorize">Continue</button>
</form>`,
    );
  });

  app.post("/orgs/:org/sso", async (c) => {
    const store = c.env.store;
    const params = await readParams(c.req.raw);
    const checked = checkSsoRequest(store, params.authorization_request ?? "");
    if (!checked.ok) return errorPage("Single sign-on", `The request is ${checked.reason}.`, 400);
    authorizeSsoRequest(store, checked.request);
    const org = store.account(checked.request.orgId);
    return layout("Single sign-on", `<h1 id="sso-authorized">Authorized for ${e(org.login)}</h1>`);
  });

  app.put("/_sim/orgs/:org/saml", async (c) => {
    const b = (await readJsonObject(c.req.raw)) ?? {};
    const store = c.env.store;
    const org = store.accountByLogin(c.req.param("org"));
    if (org?.type !== "Organization") return bad("unknown organization", 404);
    if (typeof b.enforced !== "boolean") return bad("enforced must be a boolean");
    return json(store.accounts.set(org.id, { ...org, samlEnforced: b.enforced }));
  });

  // Authorize as the person would: by the URL they were given, or for a login's grant of an App.
  app.post("/_sim/sso/authorize", async (c) => {
    const b = (await readJsonObject(c.req.raw)) ?? {};
    const store = c.env.store;
    if (typeof b.url === "string") {
      const id = new URL(b.url, "http://sim").searchParams.get("authorization_request") ?? "";
      const checked = checkSsoRequest(store, id);
      if (!checked.ok)
        return bad(`the request is ${checked.reason}`, checked.reason === "expired" ? 410 : 404);
      authorizeSsoRequest(store, checked.request);
      return json({ authorized: true, orgId: checked.request.orgId });
    }
    const org = typeof b.org === "string" ? store.accountByLogin(b.org) : undefined;
    const user = typeof b.user === "string" ? store.accountByLogin(b.user) : undefined;
    if (!org || !user) return bad("url, or org and user, are required");
    const grants = store.grants.filter(
      (g) => g.userId === user.id && (b.app === undefined || g.appId === b.app),
    );
    for (const g of grants) authorizeGrantForOrg(store, g.id, org.id);
    return json({ authorized: grants.length > 0, orgId: org.id });
  });

  app.get("/_sim/sso/requests", (c) =>
    json(
      c.env.store.ssoRequests.values().map((r) => ({
        url: r.url,
        orgId: r.orgId,
        userId: r.userId,
        expiresAt: r.expiresAt,
        usedAt: r.usedAt,
      })),
    ),
  );
}
