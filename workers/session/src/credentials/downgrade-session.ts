import type { AppIdentity, SessionFallbackReason } from "@gitcred/client";
import { updateRecord } from "../record/update-record.ts";
import type { SessionDeps, SessionRecord } from "../types.ts";
import { awaitsPerson } from "./awaits-person.ts";

/**
 * Switches a session from the person's token to the App's for the rest of its life: the bot becomes the
 * git author, the person (when git-token still knows them) becomes the co-author named in a
 * `Co-authored-by:` trailer, and one `downgraded` warning is recorded (stored with the record in one
 * write, so it survives eviction) and pushed to live subscribers. Exactly once: a session that already
 * uses the App's identity is left as is (unless it was waiting for the person's SAML SSO authorization).
 * Only for terminal failures of the person's token; transient ones never get here. The event names the
 * bot only: the person's name and e-mail are never stored.
 */
export async function downgradeSession(
  deps: SessionDeps,
  reason: SessionFallbackReason,
  bot: AppIdentity,
  installationId: number,
): Promise<SessionRecord | undefined> {
  let changed = false;
  const record = await updateRecord(deps, (current, time) => {
    // A session waiting for SAML SSO is on the App already; another reason makes that for good.
    const waiting = awaitsPerson(current) && reason !== "sso_required";
    if (current.identity !== "user" && !waiting) return undefined;
    changed = true;
    const author = { name: bot.name, email: bot.email };
    return {
      record: {
        ...current,
        identity: "app",
        author,
        installationId,
        fallbackReason: reason,
        downgradedAt: time,
      },
      events: [
        {
          type: "downgraded",
          level: "warning",
          identity: "app",
          reason,
          author,
          message: `The person's GitHub token can no longer be used (${reason}): from now on this session commits and pushes as ${author.name}, with the person as co-author.`,
        },
      ],
    };
  });
  if (changed) deps.log.warn("session downgraded to the App's identity", { reason, installationId });
  return record;
}
