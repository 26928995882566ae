import { shareInFlight } from "@gitcred/utils";
import type { AcquireOutcome, SessionDeps } from "../types.ts";
import { acquireToken, type Suspect } from "./acquire-token.ts";
import { rememberVerdict } from "./rejection-cooldown.ts";

/**
 * The one token fetch in flight for this session, shared by every caller that arrives while it runs:
 * 50 concurrent `getGitCredentials` on an expiring token cause one call to git-token (and at most one
 * refresh at GitHub) and all get the same token. The promise lives in the object's memory; it never
 * rejects (an unexpected error becomes an `internal_error` outcome for everyone who waited). A fetch
 * after a refusal leaves GitHub's verdict on the refused token (alive, or no access) in memory before
 * anyone sees the outcome, so the reports waiting on it and every later one within the cooldown cost
 * nothing more at GitHub.
 */
export function acquireShared(deps: SessionDeps, suspect?: Suspect): Promise<AcquireOutcome> {
  return shareInFlight(deps.memory, "inFlight", async () => {
    let outcome: AcquireOutcome;
    try {
      outcome = await acquireToken(deps, suspect);
    } catch (error) {
      deps.log.error("fetching the session's token failed", { error });
      return {
        ok: false,
        reason: "internal_error",
        message: "fetching the token failed",
        retryAfterSeconds: 5,
      };
    }
    if (suspect !== undefined) {
      const refused = suspect.sha256 ?? (outcome.ok ? outcome.held.sha256 : undefined);
      if (refused !== undefined && outcome.ok && outcome.held.sha256 === refused)
        rememberVerdict(deps, refused, "alive");
      else if (refused !== undefined && !outcome.ok && outcome.reason === "no_repo_access")
        rememberVerdict(deps, refused, "no_access");
    }
    return outcome;
  });
}
