import type { RpcFailure } from "@gitcred/client";
import { getRepoPermissions, readMovedRepository } from "@gitcred/github";
import { REPO_ACCESS_NEGATIVE_TTL_SECONDS, REPO_ACCESS_POSITIVE_TTL_SECONDS } from "../constants.ts";
import type { ServiceDeps } from "../deps.ts";
import { SingleFlight } from "../single-flight.ts";
import { lockoutHold } from "./lockout-hold.ts";
import type { RefreshOutcome, UsableUserToken } from "./refresh-outcome.ts";
import { repoAccessMemo } from "./repo-access-memo.ts";
import { settleRejectedToken } from "./settle-rejected-token.ts";
import { ssoRefused } from "./sso-refused.ts";
import { ssoRequirements } from "./sso-requirements.ts";

/** What a person may do on a repository, as cached. */
export interface RepoAccessFacts {
  pull: boolean;
  push: boolean;
}

/**
 * The access, with the token it was checked with: the one loaded, or the one settling a 401 left (a
 * refresh may have replaced it). Failures are GitHub's transient ones or what settling concluded.
 */
export type RepoAccessResult =
  | ({ ok: true; token: UsableUserToken } & RepoAccessFacts)
  | RpcFailure<"github_unavailable" | "rate_limited" | "sso_required">
  | (RpcFailure<"repository_moved"> & { movedTo?: string })
  | Exclude<RefreshOutcome, { ok: true }>;

/**
 * The KV key of a repo-access result. It names the connection, not just the user: after a reconnect
 * (new `connectionId`), nothing cached for the previous GitHub account can be found.
 */
export function repoAccessKey(userId: string, connectionId: string, owner: string, repo: string): string {
  return `repo-access:v1:${userId}:${connectionId}:${`${owner}/${repo}`.toLowerCase()}`;
}

function parseCached(value: unknown): RepoAccessFacts | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { pull, push } = value as { pull?: unknown; push?: unknown };
  if (typeof pull !== "boolean" || typeof push !== "boolean") return undefined;
  return { pull, push: pull && push };
}

const lookups = new SingleFlight<RepoAccessResult>();

/**
 * Whether the person can read / push to a repository with their token: KV first (positive answers 5
 * minutes, negative 60 s), else `GET /repos/{owner}/{repo}` with their token. A 404 or a plain 403 is
 * "no access" (GitHub hides private repositories behind 404). One 401 is not proof that the token is
 * dead (GitHub answers a stray 401 now and then): it is confirmed through `settleRejectedToken` (GitHub's
 * token check, then a refresh) before anyone hears `reconnect_required`, which makes sessions give up the
 * person's identity for good. A token settling finds alive (or replaces) is asked about once more.
 * Nothing about a 401 is cached. Transient trouble is passed on, not cached.
 * Concurrent calls for one key in this isolate share one KV read and, on a miss, one GitHub lookup.
 */
export async function checkRepoAccess(
  deps: ServiceDeps,
  input: { userId: string; owner: string; repo: string; stored: UsableUserToken },
): Promise<RepoAccessResult> {
  const key = repoAccessKey(input.userId, input.stored.connectionId, input.owner, input.repo);
  // The warm path: a positive verdict this isolate saw in the last few seconds (repo-access-memo.ts).
  const memoized = repoAccessMemo.get(key, deps.now());
  if (memoized !== undefined) return { ok: true, ...memoized, token: input.stored };
  // A burst of calls for one repository (an agent fleet starting, a refresh storm's callers all released
  // at once) asks GitHub once per isolate, and reads KV once too: 200 concurrent KV reads cost over
  // 100 ms of the bench machine's 2 cores (docs/BENCHMARKS.md, P3). Only the plain result is shared.
  const shared = await lookups.run(key, async () => {
    const cached = parseCached(await deps.kv.get(key, "json").catch(() => null));
    if (cached !== undefined) {
      repoAccessMemo.set(key, input.userId, cached, deps.now());
      return { ok: true, ...cached, token: input.stored };
    }
    const first = await askGitHub(deps, { ...input, token: input.stored }, key);
    if (first !== "unauthorized") return first;
    // One 401: settle whether the token is really dead before anything downgrades.
    const settled = await settleRejectedToken(deps, input.userId, input.stored);
    if (!settled.ok) return settled;
    const { ok: _ok, ...token } = settled;
    const second = await askGitHub(deps, { ...input, token }, key);
    if (second !== "unauthorized") return second;
    deps.logger.warn("GitHub refuses a token on the repository that its token check accepts");
    return {
      ok: false,
      reason: "github_unavailable",
      message: "GitHub refused a token it also calls valid; try again",
      retryAfterSeconds: 5,
    };
  });
  // A call that joined another's lookup keeps the newer token of the connection (the key names it, so
  // versions compare): the leader's may be one this call has just reported dead and replaced.
  if (shared.ok && shared.token.version < input.stored.version) return { ...shared, token: input.stored };
  return shared;
}

async function askGitHub(
  deps: ServiceDeps,
  input: { userId: string; owner: string; repo: string; token: UsableUserToken },
  key: string,
): Promise<RepoAccessResult | "unauthorized"> {
  const result = await getRepoPermissions(deps.config.github, input.token.token, input.owner, input.repo);
  let facts: RepoAccessFacts;
  if (result.ok) {
    facts = { pull: result.repository.pull, push: result.repository.push };
  } else if (result.reason === "sso_required") {
    // SAML SSO, not "no access": answered apart and never cached (sso-refused.ts).
    return ssoRefused(
      deps,
      { userId: input.userId, connectionId: input.token.connectionId, owner: input.owner },
      result.ssoAuthorizeUrl,
    );
  } else if (result.reason === "not_found" || result.reason === "forbidden") {
    facts = { pull: false, push: false };
  } else if (result.reason === "unauthorized") {
    return "unauthorized";
  } else if (result.reason === "moved") {
    // Renamed or transferred: reported, not retried and not cached (a webhook may rename it back).
    return repositoryMoved(deps, input.token.token, result.movedRepositoryId);
  } else if (result.reason === "rate_limited" || result.reason === "github_unavailable") {
    // Locked out: nothing more goes to GitHub with the person's tokens until the wait is over.
    if (result.lockedOut === true)
      lockoutHold.start(input.userId, result.retryAfterSeconds ?? 300, deps.now());
    return {
      ok: false,
      reason: result.reason,
      message: result.message,
      retryAfterSeconds: result.retryAfterSeconds ?? 5,
    };
  } else {
    return { ok: false, reason: "github_unavailable", message: result.message, retryAfterSeconds: 5 };
  }
  const ttl = facts.pull ? REPO_ACCESS_POSITIVE_TTL_SECONDS : REPO_ACCESS_NEGATIVE_TTL_SECONDS;
  if (facts.pull) {
    // The person authorized SSO meanwhile: the settings page stops asking them to.
    const owner = { userId: input.userId, connectionId: input.token.connectionId, organization: input.owner };
    deps.waitUntil(ssoRequirements.forget(deps, owner).catch(() => undefined));
  }
  repoAccessMemo.set(key, input.userId, facts, deps.now());
  deps.waitUntil(
    deps.kv.put(key, JSON.stringify(facts), { expirationTtl: ttl }).catch((error: unknown) => {
      deps.logger.warn("could not cache repo access", { error });
    }),
  );
  return { ok: true, ...facts, token: input.token };
}

/**
 * GitHub redirected the repository's old name: `repository_moved`, with the new name when GitHub tells
 * the person's token where the redirect leads (`GET /repositories/{id}`, built from the id on our own API
 * base). Nothing is handed out for the new name here: the caller asks again with it, and that request is
 * checked like any other.
 */
async function repositoryMoved(
  deps: ServiceDeps,
  token: string,
  repositoryId: number | undefined,
): Promise<RepoAccessResult> {
  const found =
    repositoryId === undefined
      ? undefined
      : await readMovedRepository(deps.config.github, token, repositoryId);
  return {
    ok: false,
    reason: "repository_moved",
    message: "GitHub says this repository was renamed or transferred",
    ...(found?.ok === true ? { movedTo: found.fullName } : {}),
  };
}
