import type { GetUserTokenForRepoResult } from "@gitcred/client";
import type { ServiceDeps } from "../deps.ts";
import { checkRepoAccess } from "./check-repo-access.ts";
import { loadUserToken } from "./load-user-token.ts";
import { lockoutHold } from "./lockout-hold.ts";
import { type UserTokenRequest, userTokenAnswer, userTokenFromMemory } from "./user-token-from-memory.ts";
import { userTokenMemo } from "./user-token-memo.ts";

/**
 * The person's own token for one repository, after checking they may read it (or push, for `write`).
 * Gate off -> `disabled`; the rest as `loadUserToken` and `checkRepoAccess` decide. A person who lacks
 * access gets `no_repo_access`, which `getTokenForRepo` never turns into the App's token. With
 * `rejectedTokenSha256` (a caller saw GitHub refuse that token), a dead stored token is never answered.
 * A warm call is answered from memory first (`userTokenFromMemory`), with the same rules.
 */
export async function getUserTokenForRepo(
  deps: ServiceDeps,
  input: UserTokenRequest,
): Promise<GetUserTokenForRepoResult> {
  const warm = userTokenFromMemory(deps, input);
  if (warm !== undefined) return warm;
  if (!deps.config.userTokensEnabled) {
    return { ok: false, reason: "disabled", message: "people's own GitHub tokens are turned off" };
  }
  // GitHub refuses all of the person's authentication for a while: asking would only extend it.
  const lockedFor = lockoutHold.remaining(input.userId, deps.now());
  if (lockedFor !== undefined) {
    return {
      ok: false,
      reason: "rate_limited",
      message: "GitHub refuses the person's authentication for a while (too many failed logins)",
      retryAfterSeconds: lockedFor,
    };
  }
  const loaded = await loadUserToken(deps, input.userId, input.rejectedTokenSha256);
  if (!loaded.ok) return loaded;
  const { ok: _ok, ...stored } = loaded;
  const access = await checkRepoAccess(deps, {
    userId: input.userId,
    owner: input.owner,
    repo: input.repo,
    stored,
  });
  if (!access.ok) {
    if (access.reason === "reconnect_required") userTokenMemo.forget(input.userId);
    return access;
  }
  if (!access.pull || (input.access === "write" && !access.push)) {
    return {
      ok: false,
      reason: "no_repo_access",
      message:
        input.access === "write"
          ? "the person cannot push to this repository"
          : "the person cannot read this repository",
    };
  }
  // The token the access was checked with: after a 401 that settling answered with a refresh, the new one.
  return userTokenAnswer(access.token, access.push);
}
