import type { GetGitCredentialsResult } from "@gitcred/client";
import { checkReady } from "../preparation/check-ready.ts";
import { authorizeCaller } from "../record/authorize-caller.ts";
import type { Caller, HeldToken, SessionDeps } from "../types.ts";
import { acquireShared } from "./acquire-shared.ts";
import { outcomeToResult, toCredentials } from "./to-credentials.ts";

/** A token handed out must stay valid at least this long (git operations on big repos take minutes). */
export const MIN_TOKEN_VALIDITY_MS = 10 * 60_000;

/** Whether `held` may be handed out at `now` without fetching a new one. */
export function isFresh(held: HeldToken, now: number): boolean {
  return held.expiresAt === null || held.expiresAt - now >= MIN_TOKEN_VALIDITY_MS;
}

/**
 * A credential for the session's repository, valid for at least 10 more minutes: the token held in
 * memory while it is fresh, else one fetch from git-token shared by every concurrent caller.
 */
export async function getGitCredentials(deps: SessionDeps, caller: Caller): Promise<GetGitCredentialsResult> {
  const authorized = await authorizeCaller(deps, caller);
  if (!authorized.ok) return authorized;
  const { record } = authorized;
  const notReady = checkReady(record, deps.now());
  if (notReady !== undefined) return notReady;
  const held = deps.memory.held;
  if (held !== undefined && held.identity === record.identity && isFresh(held, deps.now())) {
    return toCredentials(deps, record, held);
  }
  return outcomeToResult(deps, await acquireShared(deps));
}
