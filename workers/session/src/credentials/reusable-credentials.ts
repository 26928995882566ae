import type { GetGitCredentialsResult } from "@gitcred/client";
import { sessionExpiresAt } from "../record/session-deadline.ts";
import type { Caller, SessionDeps } from "../types.ts";
import { awaitsPerson } from "./awaits-person.ts";
import { CREDENTIALS_MEMO_MS, type ReusableCredentials } from "./credentials-memo.ts";
import { getGitCredentials, isFresh } from "./get-git-credentials.ts";

/**
 * `getGitCredentials`, with how long SessionService may answer the same from its own memory
 * (`credentials-memo.ts`): at most `CREDENTIALS_MEMO_MS`, never past the session's absolute end, only while
 * the token would still be fresh enough to hand out, and not at all for a session that asks for its
 * person's token at each fetch (SAML SSO pending) or whose answer is not the token it holds.
 */
export async function reusableCredentials(
  deps: SessionDeps,
  caller: Caller,
): Promise<ReusableCredentials | Exclude<GetGitCredentialsResult, { ok: true }>> {
  const answer = await getGitCredentials(deps, caller);
  if (!answer.ok) return answer;
  const record = await deps.store.load();
  const held = deps.memory.held;
  if (record === undefined || held === undefined || held.token !== answer.token || awaitsPerson(record)) {
    return { answer, reuseUntil: 0 };
  }
  const until = Math.min(deps.now() + CREDENTIALS_MEMO_MS, sessionExpiresAt(record, deps.lifetimeMs));
  return { answer, reuseUntil: isFresh(held, until) ? until : 0 };
}
