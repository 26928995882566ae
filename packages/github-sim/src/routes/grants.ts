/**
 * OAuth application endpoints, Basic auth with the App's client id and secret:
 * `POST /applications/{client_id}/token` (check), `DELETE /applications/{client_id}/token` (one token),
 * `DELETE /applications/{client_id}/grant` (the person's whole authorization: every token).
 */
import type { Hono } from "hono";
import { tokenIsLive } from "../auth.ts";
import type { SimContext } from "../context.ts";
import { bases, principal, type SimEnv } from "../context.ts";
import {
  badCredentials,
  DOC_URLS,
  json,
  noContent,
  notFound,
  readJsonObject,
  requiresAuthentication,
  validationFailed,
} from "../http.ts";
import { revokeGrant, revokeToken } from "../issue.ts";
import type { SimStore } from "../state.ts";
import { sha256Hex } from "../tokens.ts";
import type { SimApp, SimToken } from "../types.ts";
import { simpleUser } from "../views.ts";

type Resolved = { app: SimApp; token: SimToken } | Response;

async function resolve(c: SimContext, doc: string): Promise<Resolved> {
  const p = await principal(c);
  const store = c.env.store;
  if (p.kind === "none") return requiresAuthentication(doc);
  if (p.kind !== "basic") return badCredentials();
  const app = store.appByClientId(c.req.param("client_id") ?? "");
  if (!app) return notFound(doc);
  if (p.username !== app.clientId || p.password !== app.clientSecret) return badCredentials();
  const body = await readJsonObject(c.req.raw);
  const accessToken = body?.access_token;
  if (typeof accessToken !== "string" || accessToken === "") {
    return validationFailed('Invalid request.\n\n"access_token" wasn\'t supplied.', doc);
  }
  const token = store.tokens.get(accessToken);
  if (token?.kind !== "user" || token.appId !== app.id || !tokenIsLive(store, token)) return notFound(doc);
  return { app, token };
}

async function authorization(
  store: SimStore,
  c: SimContext,
  app: SimApp,
  token: SimToken,
): Promise<Record<string, unknown>> {
  const b = bases(c);
  const user = token.userId === null ? undefined : store.accounts.get(token.userId);
  return {
    id: token.authorizationId,
    url: `${b.api}/authorizations/${token.authorizationId}`,
    scopes: [],
    token: token.token,
    token_last_eight: token.token.slice(-8),
    hashed_token: await sha256Hex(token.token),
    app: { client_id: app.clientId, name: app.name, url: `${b.apps}/${app.slug}` },
    note: null,
    note_url: null,
    updated_at: token.createdAt,
    created_at: token.createdAt,
    fingerprint: null,
    user: user ? simpleUser(b, user) : null,
    installation: null,
    expires_at: token.expiresAt,
  };
}

/** Registers the routes on `app`. */
export function registerGrantRoutes(app: Hono<SimEnv>): void {
  app.post("/applications/:client_id/token", async (c) => {
    const r = await resolve(c, DOC_URLS.checkToken);
    if (r instanceof Response) return r;
    return json(await authorization(c.env.store, c, r.app, r.token));
  });

  app.delete("/applications/:client_id/token", async (c) => {
    const r = await resolve(c, DOC_URLS.deleteToken);
    if (r instanceof Response) return r;
    const store = c.env.store;
    revokeToken(store, r.token, "revoked by DELETE /applications/{client_id}/token");
    // The refresh token issued with it dies with it.
    const paired = store.tokens.find((t) => t.kind === "refresh" && t.pairedToken === r.token.token);
    if (paired) revokeToken(store, paired, "access token deleted");
    return noContent();
  });

  app.delete("/applications/:client_id/grant", async (c) => {
    const r = await resolve(c, DOC_URLS.deleteGrant);
    if (r instanceof Response) return r;
    if (r.token.userId !== null) {
      revokeGrant(
        c.env.store,
        r.app.id,
        r.token.userId,
        "grant deleted by DELETE /applications/{client_id}/grant",
      );
    }
    return noContent();
  });
}
