/**
 * The GitHub faults of the matrix, as simulator fault rules, and what each one documentedly means to a
 * caller: transient (`github_unavailable`, retry later), rate limited (`rate_limited` with GitHub's wait),
 * or terminal (`bad_refresh_token`, 401). A fault only applies where GitHub can answer it: the OAuth
 * token endpoint answers its errors with HTTP 200 and an `error` field (so no 401 there), and
 * `bad_refresh_token` is an answer of that endpoint to a refresh only.
 */
import type { FaultInput } from "../../../packages/github-sim/local/admin.ts";

export type FaultName =
  | "500"
  | "502"
  | "503"
  | "timeout"
  | "connection reset"
  | "403 primary rate limit"
  | "429 secondary (retry-after)"
  | "bad_refresh_token"
  | "401 revoked"
  | "403 SAML SSO"
  | "403 lockout";

export type FaultClass =
  | "transient"
  | "primary_limit"
  | "secondary_limit"
  | "bad_refresh_token"
  | "unauthorized"
  /** 403 with `X-GitHub-SSO: required; url=...`: the person must authorize their token (#15 §1). */
  | "sso"
  /** 403 "Maximum number of login attempts exceeded": GitHub's failed login limit (#15 §5). */
  | "lockout";

export interface Fault {
  name: FaultName;
  class: FaultClass;
  /** The rule, for a path (and a grant type on the token endpoint); affects calls until cleared. */
  rule(target: { path: string; method: string; grantType?: string }): FaultInput;
}

/** Seconds the rate-limit faults ask to wait (checked against `retryAfterSeconds`). */
export const PRIMARY_RESET_SECONDS = 120;
export const SECONDARY_RETRY_AFTER = 30;
/**
 * The `authorization_request` of the SSO fault's authorize URL: the canary scan looks for it everywhere
 * but the person's own settings page (it reaches the person only).
 */
export const SSO_FAULT_REQUEST = "fmSsoAuthorizationRequestPersonOnly7Q";
/** What gitcred waits out after GitHub's failed login limit (it sends no retry time). */
export const LOCKOUT_WAIT_SECONDS = 300;
/** Longer than gitcred's 10-second GitHub timeout. */
const TIMEOUT_DELAY_MS = 11_500;

const base = (t: { path: string; method: string; grantType?: string }) => ({
  path: t.path,
  method: t.method,
  ...(t.grantType === undefined ? {} : { grantType: t.grantType }),
  times: null,
});

export const FAULTS: Fault[] = [
  { name: "500", class: "transient", rule: (t) => ({ ...base(t), kind: "status", status: 500 }) },
  { name: "502", class: "transient", rule: (t) => ({ ...base(t), kind: "status", status: 502 }) },
  { name: "503", class: "transient", rule: (t) => ({ ...base(t), kind: "status", status: 503 }) },
  {
    name: "timeout",
    class: "transient",
    rule: (t) => ({ ...base(t), kind: "status", status: 504, delayMs: TIMEOUT_DELAY_MS }),
  },
  { name: "connection reset", class: "transient", rule: (t) => ({ ...base(t), kind: "network" }) },
  {
    name: "403 primary rate limit",
    class: "primary_limit",
    rule: (t) => ({ ...base(t), kind: "rate_limit", retryAfter: PRIMARY_RESET_SECONDS }),
  },
  {
    name: "429 secondary (retry-after)",
    class: "secondary_limit",
    rule: (t) => ({
      ...base(t),
      kind: "secondary_rate_limit",
      status: 429,
      retryAfter: SECONDARY_RETRY_AFTER,
    }),
  },
  {
    name: "bad_refresh_token",
    class: "bad_refresh_token",
    rule: (t) => ({
      ...base(t),
      kind: "status",
      status: 200,
      body: {
        error: "bad_refresh_token",
        error_description: "The refresh token passed is incorrect or expired.",
        error_uri:
          "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#bad-refresh-token",
      },
    }),
  },
  {
    name: "401 revoked",
    class: "unauthorized",
    rule: (t) => ({
      ...base(t),
      kind: "status",
      status: 401,
      body: { message: "Bad credentials", documentation_url: "https://docs.github.com/rest" },
    }),
  },
  {
    name: "403 SAML SSO",
    class: "sso",
    rule: (t) => ({
      ...base(t),
      kind: "status",
      status: 403,
      headers: {
        "x-github-sso": `required; url=https://github.com/orgs/fm/sso?authorization_request=${SSO_FAULT_REQUEST}`,
      },
      body: {
        message:
          "Resource protected by organization SAML enforcement. You must grant your OAuth token access to this organization.",
        documentation_url:
          "https://docs.github.com/articles/authenticating-to-a-github-organization-with-saml-single-sign-on/",
      },
    }),
  },
  {
    name: "403 lockout",
    class: "lockout",
    rule: (t) => ({
      ...base(t),
      kind: "status",
      status: 403,
      body: {
        message: "Maximum number of login attempts exceeded. Please try again later.",
        documentation_url: "https://docs.github.com/rest",
      },
    }),
  },
];

/** Faults that only the person's path can meet (SAML SSO and the failed login limit concern user tokens). */
export function personOnlyFault(fault: Fault): boolean {
  return fault.class === "sso" || fault.class === "lockout";
}

/** Whether a `retryAfterSeconds` fits the fault (a transient wait is any positive number). */
export function retryFits(fault: Fault, retryAfter: number | undefined): boolean {
  if (retryAfter === undefined || retryAfter <= 0) return false;
  if (fault.class === "primary_limit")
    return retryAfter >= PRIMARY_RESET_SECONDS - 15 && retryAfter <= PRIMARY_RESET_SECONDS + 5;
  if (fault.class === "secondary_limit") return retryAfter === SECONDARY_RETRY_AFTER;
  if (fault.class === "lockout") return retryAfter === LOCKOUT_WAIT_SECONDS;
  return true;
}

/** The documented failure reason for a transient or rate-limit fault. */
export function transientReason(fault: Fault): "github_unavailable" | "rate_limited" {
  return fault.class === "transient" ? "github_unavailable" : "rate_limited";
}
