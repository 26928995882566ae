/** Reasons that say "try again later": nothing is wrong with the request or the person's connection. */
const TRANSIENT = new Set(["github_unavailable", "rate_limited", "database_unavailable", "busy"]);

/** Reasons after which the person's own token will not work again until they act: the session downgrades. */
// `sso_required` too: only the person can fix it (on the settings page); this session keeps the App's.
const USER_TOKEN_GONE = new Set(["disabled", "not_connected", "reconnect_required", "sso_required"]);

/**
 * Whether a failure is worth retrying: GitHub or Postgres trouble, or git-token unreachable (an
 * `internal_error` that carries a retry time; one without is a bug or a misconfiguration, and retrying
 * it only hides it).
 */
export function isTransientFailure(failure: { reason: string; retryAfterSeconds?: number }): boolean {
  return (
    TRANSIENT.has(failure.reason) ||
    (failure.reason === "internal_error" && failure.retryAfterSeconds !== undefined)
  );
}

/** Whether git-token's fallback reason means the person's token is gone for the rest of the session. */
export function isUserTokenGone(
  reason: string | undefined,
): reason is "disabled" | "not_connected" | "reconnect_required" | "sso_required" {
  return reason !== undefined && USER_TOKEN_GONE.has(reason);
}
