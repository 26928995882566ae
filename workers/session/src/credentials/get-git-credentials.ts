import type { GetGitCredentialsResult } from "@gitcred/client";
import { checkReady } from "../preparation/check-ready.ts";
import { authorizeCaller } from "../record/authorize-caller.ts";
import type { Caller, HeldToken, SessionDeps, SessionRecord } from "../types.ts";
import { acquireShared } from "./acquire-shared.ts";
import { awaitsPerson } from "./awaits-person.ts";
import { outcomeToResult, toCredentials } from "./to-credentials.ts";

/** A token handed out must stay valid at least this long (git operations on big repos take minutes). */
const MIN_TOKEN_VALIDITY_MS = 10 * 60_000;

/** What the sandbox's own secret gets on a `sandboxGit: "proxy"` session: its git goes through the proxy. */
export const PROXY_ONLY = {
  ok: false,
  reason: "proxy_only",
  message: "this session's git goes through the gitcred git proxy; the sandbox gets no GitHub token",
} as const;

/**
 * Whether `caller` is the sandbox asking for a token of a proxy session. Prevents the weaker mode from
 * coming back through the side door: the secret that authenticates git to the proxy must not also fetch
 * the token the proxy keeps from the sandbox.
 */
export function isProxyOnly(record: SessionRecord, caller: Caller): boolean {
  return caller.kind === "secret" && record.sandboxGit === "proxy";
}

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
  if (isProxyOnly(record, caller)) return PROXY_ONLY;
  const notReady = checkReady(record, deps.now());
  if (notReady !== undefined) return notReady;
  const held = deps.memory.held;
  // A session waiting for the person (SAML SSO) asks again each time: their authorization must show at once.
  if (
    held !== undefined &&
    held.identity === record.identity &&
    isFresh(held, deps.now()) &&
    !awaitsPerson(record)
  ) {
    return toCredentials(deps, record, held);
  }
  return outcomeToResult(deps, await acquireShared(deps));
}
