import type { RefreshGitHubTokenInput, RefreshGitHubTokenResult } from "@gitcred/client";
import { checkReady } from "../preparation/check-ready.ts";
import { authorizeCaller } from "../record/authorize-caller.ts";
import type { Caller, SessionDeps } from "../types.ts";
import { acquireShared } from "./acquire-shared.ts";
import { isFresh, isProxyOnly, PROXY_ONLY } from "./get-git-credentials.ts";
import { recentVerdict } from "./rejection-cooldown.ts";
import { outcomeToResult, toCredentials } from "./to-credentials.ts";

/** A report can find a fetch in flight that still returns the refused token; it waits that many times. */
const MAX_ROUNDS = 3;

/**
 * GitHub refused the session's token (or it is about to expire): get another. A report about a token that
 * was already replaced answers the current one, so 50 sandboxes reporting the same refusal cause one fetch.
 * A report about a token GitHub called alive (or not allowed on the repository) moments ago gets that
 * verdict again (`REJECTION_COOLDOWN_MS`): a flood of reports costs one settle, not one each.
 * The person's token is retried once through git-token; if it is gone for good the session downgrades to
 * the App's (see `acquireToken`); a transient failure answers a retry time and changes nothing.
 */
export async function refreshGitHubToken(
  deps: SessionDeps,
  caller: Caller,
  input: Pick<RefreshGitHubTokenInput, "reason" | "rejectedTokenSha256">,
): Promise<RefreshGitHubTokenResult> {
  const authorized = await authorizeCaller(deps, caller);
  if (!authorized.ok) return authorized;
  if (isProxyOnly(authorized.record, caller)) return PROXY_ONLY;
  const notReady = checkReady(authorized.record, deps.now());
  if (notReady !== undefined) return notReady;

  for (let round = 0; round < MAX_ROUNDS; round++) {
    const held = deps.memory.held;
    const rejected = input.reason === "rejected" ? (input.rejectedTokenSha256 ?? held?.sha256) : undefined;
    const verdict = rejected === undefined ? undefined : recentVerdict(deps, rejected);
    if (verdict?.verdict === "no_access") {
      return { ok: false, reason: "no_repo_access", message: "the person can no longer use the repository" };
    }
    // The refused token is already replaced by a fresh one, or GitHub called it alive moments ago.
    if (
      rejected !== undefined &&
      held !== undefined &&
      (held.sha256 !== rejected || verdict !== undefined) &&
      isFresh(held, deps.now())
    ) {
      const record = await deps.store.load();
      if (record !== undefined && held.identity === record.identity) return toCredentials(deps, record, held);
    }
    const running = deps.memory.inFlight;
    if (running !== undefined) {
      const outcome = await running;
      if (!outcome.ok || rejected === undefined || outcome.held.sha256 !== rejected)
        return outcomeToResult(deps, outcome);
      continue;
    }
    if (held !== undefined && (rejected === undefined || held.sha256 === rejected))
      deps.memory.held = undefined;
    // Without a hash of the refused token (and none held), whatever git-token answers is checked at GitHub.
    const suspect = input.reason === "rejected" ? { sha256: rejected } : undefined;
    return outcomeToResult(deps, await acquireShared(deps, suspect));
  }
  return {
    ok: false,
    reason: "github_unavailable",
    message: "GitHub keeps refusing the token",
    retryAfterSeconds: 5,
  };
}
