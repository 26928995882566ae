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
  | "401 revoked";

export type FaultClass =
  | "transient"
  | "primary_limit"
  | "secondary_limit"
  | "bad_refresh_token"
  | "unauthorized";

export interface Fault {
  name: FaultName;
  class: FaultClass;
  /** The rule, for a path (and a grant type on the token endpoint); affects calls until cleared. */
  rule(target: { path: string; method: string; grantType?: string }): FaultInput;
}

/** Seconds the rate-limit faults ask to wait (checked against `retryAfterSeconds`). */
export const PRIMARY_RESET_SECONDS = 120;
export const SECONDARY_RETRY_AFTER = 30;
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
];

/** Whether a `retryAfterSeconds` fits the fault (a transient wait is any positive number). */
export function retryFits(fault: Fault, retryAfter: number | undefined): boolean {
  if (retryAfter === undefined || retryAfter <= 0) return false;
  if (fault.class === "primary_limit")
    return retryAfter >= PRIMARY_RESET_SECONDS - 15 && retryAfter <= PRIMARY_RESET_SECONDS + 5;
  if (fault.class === "secondary_limit") return retryAfter === SECONDARY_RETRY_AFTER;
  return true;
}

/** The documented failure reason for a transient or rate-limit fault. */
export function transientReason(fault: Fault): "github_unavailable" | "rate_limited" {
  return fault.class === "transient" ? "github_unavailable" : "rate_limited";
}
