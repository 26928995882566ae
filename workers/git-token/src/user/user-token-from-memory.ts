import type { GetUserTokenForRepoResult, RepoAccess } from "@gitcred/client";
import type { ServiceDeps } from "../deps.ts";
import { isoTime } from "../iso-time.ts";
import { repoAccessKey } from "./check-repo-access.ts";
import { lockoutHold } from "./lockout-hold.ts";
import type { UsableUserToken } from "./refresh-outcome.ts";
import { repoAccessMemo } from "./repo-access-memo.ts";
import { userTokenMemo } from "./user-token-memo.ts";

export type UserTokenAnswer = Extract<GetUserTokenForRepoResult, { ok: true }>;

/** What the person's token for a repository is asked with (`getUserTokenForRepo`). */
export interface UserTokenRequest {
  userId: string;
  owner: string;
  repo: string;
  access: RepoAccess;
  rejectedTokenSha256?: string | undefined;
}

/** The answer for a token whose access was checked: the level the verdict allows. */
export function userTokenAnswer(token: UsableUserToken, push: boolean): UserTokenAnswer {
  return {
    ok: true,
    token: token.token,
    expiresAt: token.expiresAt === null ? null : isoTime(token.expiresAt),
    identity: token.identity,
    access: push ? "write" : "read",
  };
}

/**
 * The person's token for a repository from this isolate's memos alone, with no await: the warm path of
 * `getUserTokenForRepo`, which asks it first. Undefined whenever anything must be decided the long way
 * (the gate off, a lockout, a rejected token to settle, no memoized token or verdict, or a verdict that
 * refuses): that path answers it. It reads the same memos under the same rules (the token memo first,
 * then the repo-access verdict made with that token's connection), so a rejection or a webhook this
 * isolate handles still ends it at once and elsewhere within the memos' 5 s. Without it a warm call
 * went through about ten promise turns (P2 in docs/BENCHMARKS.md: the App's and the person's calls were
 * 1.4 to 1.7 × a no-op RPC).
 */
export function userTokenFromMemory(
  deps: Pick<ServiceDeps, "config" | "now">,
  input: UserTokenRequest,
): UserTokenAnswer | undefined {
  if (!deps.config.userTokensEnabled || input.rejectedTokenSha256 !== undefined) return undefined;
  const now = deps.now();
  if (lockoutHold.remaining(input.userId, now) !== undefined) return undefined;
  const token = userTokenMemo.get(input.userId);
  if (token === undefined) return undefined;
  const facts = repoAccessMemo.get(
    repoAccessKey(input.userId, token.connectionId, input.owner, input.repo),
    now,
  );
  if (facts === undefined || !facts.pull || (input.access === "write" && !facts.push)) return undefined;
  return userTokenAnswer(token, facts.push);
}
