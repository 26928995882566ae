/**
 * SAML single sign-on enforcement, as GitHub documents it for tokens ("Authenticating to the REST API",
 * "PATs and SAML SSO"): an organization that enforces SAML refuses a member's token that is not
 * authorized for it with `403 Resource protected by organization SAML enforcement...` and
 * `X-GitHub-SSO: required; url=<authorize url>` (the URL expires after one hour); a listing across
 * organizations leaves such organizations out and says so with
 * `X-GitHub-SSO: partial-results; organizations=<id>,<id>`. After the person follows the URL, the same
 * token (and every token of the same App grant: refreshes keep the authorization) works.
 * Outside collaborators are not subject to SAML; installation tokens are authorized automatically.
 */
import { isOrgMember } from "./access.ts";
import type { SimStore } from "./state.ts";
import type { SimAccount, SimSsoRequest, SimToken } from "./types.ts";

/** GitHub's message on a 403 for a token without SSO authorization. */
export const SAML_MESSAGE =
  "Resource protected by organization SAML enforcement. You must grant your OAuth token access to this organization.";

/** GitHub's documentation link on that 403. */
export const SAML_DOC =
  "https://docs.github.com/articles/authenticating-to-a-github-organization-with-saml-single-sign-on/";

/** How long an authorize URL works ("The URL expires after one hour"). */
const REQUEST_TTL_SECONDS = 3600;

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(30));
  return btoa(String.fromCharCode(...bytes)).replace(/[+/=]/g, (ch) =>
    ch === "+" ? "A" : ch === "/" ? "Z" : "",
  );
}

/** Whether `org` refuses this user token until the person authorizes it (members of SAML orgs only). */
export function ssoBlocks(store: SimStore, token: SimToken, user: SimAccount, org: SimAccount): boolean {
  if (org.type !== "Organization" || org.samlEnforced !== true) return false;
  if (!isOrgMember(org, user) || token.grantId === null) return false;
  return store.ssoAuthorizations.get(`${token.grantId}:${org.id}`) === undefined;
}

/** A fresh authorize URL for this token's grant and `org` (`<web>/orgs/<org>/sso?authorization_request=`). */
export function createSsoRequest(
  store: SimStore,
  web: string,
  token: SimToken,
  org: SimAccount,
): SimSsoRequest {
  const id = randomId();
  const url = `${web}/orgs/${encodeURIComponent(org.login)}/sso?authorization_request=${id}`;
  const request: SimSsoRequest = {
    id,
    url,
    grantId: token.grantId ?? 0,
    userId: token.userId ?? 0,
    orgId: org.id,
    expiresAt: new Date(store.clock.nowMs() + REQUEST_TTL_SECONDS * 1000).toISOString(),
    usedAt: null,
  };
  return store.ssoRequests.set(id, request);
}

/** The `X-GitHub-SSO` header of a refusal. */
export function ssoRequiredHeader(request: SimSsoRequest): Record<string, string> {
  return { "x-github-sso": `required; url=${request.url}` };
}

/** The `X-GitHub-SSO` header of a listing that left organizations out, or none. */
export function ssoPartialHeader(orgIds: number[]): Record<string, string> {
  if (orgIds.length === 0) return {};
  return { "x-github-sso": `partial-results; organizations=${[...new Set(orgIds)].join(",")}` };
}

/** Why an authorize request cannot be used, or the request. */
export type SsoRequestCheck =
  | { ok: true; request: SimSsoRequest }
  | { ok: false; reason: "unknown" | "expired" };

/** Looks up an `authorization_request` id: unknown, expired (one hour) or usable. */
export function checkSsoRequest(store: SimStore, id: string): SsoRequestCheck {
  const request = store.ssoRequests.get(id);
  if (request === undefined) return { ok: false, reason: "unknown" };
  if (Date.parse(request.expiresAt) <= store.clock.nowMs()) return { ok: false, reason: "expired" };
  return { ok: true, request };
}

/** Authorizes the request's grant for its organization (what following the URL and signing in does). */
export function authorizeSsoRequest(store: SimStore, request: SimSsoRequest): void {
  store.ssoRequests.set(request.id, { ...request, usedAt: store.clock.iso() });
  authorizeGrantForOrg(store, request.grantId, request.orgId);
}

/** Authorizes every token of one grant for one organization. */
export function authorizeGrantForOrg(store: SimStore, grantId: number, orgId: number): void {
  store.ssoAuthorizations.set(`${grantId}:${orgId}`, { grantId, orgId, createdAt: store.clock.iso() });
}
