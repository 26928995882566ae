import { shareInFlight } from "@gitcred/utils";
import type { AcquireOutcome, SessionDeps } from "../types.ts";
import { acquireToken, type Suspect } from "./acquire-token.ts";

/**
 * The one token fetch in flight for this session, shared by every caller that arrives while it runs:
 * 50 concurrent `getGitCredentials` on an expiring token cause one call to git-token (and at most one
 * refresh at GitHub) and all get the same token. The promise lives in the object's memory; it never
 * rejects (an unexpected error becomes an `internal_error` outcome for everyone who waited).
 */
export function acquireShared(deps: SessionDeps, suspect?: Suspect): Promise<AcquireOutcome> {
  return shareInFlight(deps.memory, "inFlight", () =>
    acquireToken(deps, suspect).catch((error: unknown): AcquireOutcome => {
      deps.log.error("fetching the session's token failed", { error });
      return {
        ok: false,
        reason: "internal_error",
        message: "fetching the token failed",
        retryAfterSeconds: 5,
      };
    }),
  );
}
