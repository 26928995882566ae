import { updateRecord } from "../record/update-record.ts";
import type { AcquireOutcome, HeldToken, SessionDeps } from "../types.ts";
import { awaitsPerson } from "./awaits-person.ts";

/**
 * The person authorized SAML SSO for the repository's organization and git-token handed out their own
 * token: the session that stood in with the App's token goes back to the person (their identity, no bot
 * author, no co-author trailer), with one `token_refreshed` event saying so. Without this the session
 * would commit as the bot for the rest of its life although the person did all that was asked of them.
 */
export async function restorePerson(deps: SessionDeps, held: HeldToken): Promise<AcquireOutcome> {
  const expiresAt = held.expiresAt === null ? null : new Date(held.expiresAt).toISOString();
  const record = await updateRecord(deps, (current) => {
    if (!awaitsPerson(current)) return undefined;
    const next = { ...current, identity: "user" as const, author: null, installationId: null };
    next.tokenExpiresAt = expiresAt;
    delete next.fallbackReason;
    delete next.downgradedAt;
    return {
      record: next,
      events: [
        {
          type: "token_refreshed",
          level: "info",
          identity: "user",
          expiresAt,
          message: `The person's GitHub token works again (SAML SSO authorized for ${current.owner}): from now on this session commits and pushes as the person.`,
        },
      ],
    };
  });
  if (record === undefined) return { ok: false, reason: "not_found", message: "no such session" };
  if (record.identity !== "user") {
    return {
      ok: false,
      reason: "internal_error",
      message: "the session changed meanwhile",
      retryAfterSeconds: 1,
    };
  }
  deps.log.info("session back on the person's token (SAML SSO authorized)");
  deps.memory.held = held;
  return { ok: true, held, record };
}
