import type {
  FallbackReason,
  GetTokenForRepoResult,
  InstallationPermissions,
  PersonAction,
  RepoAccess,
} from "@gitcred/client";
import type { ServiceDeps } from "./deps.ts";
import { getInstallationToken } from "./installation/get-installation-token.ts";
import { installationTokenFromMemory } from "./installation/installation-token-from-memory.ts";
import { getUserTokenForRepo } from "./user/get-user-token-for-repo.ts";
import { userTokenFromMemory } from "./user/user-token-from-memory.ts";

/** The narrowest App permissions for an access level. */
export function permissionsFor(access: RepoAccess): InstallationPermissions {
  return { contents: access, metadata: "read" };
}

/**
 * The person's token cannot be used at all right now. `sso_required` is one: GitHub has not said the
 * person lacks the repository, only that their token is not authorized for the organization yet, and the
 * tenant's own claim on the installation is what lends the App's token (never the person's access).
 */
const UNAVAILABLE = new Set<string>(["disabled", "not_connected", "reconnect_required", "sso_required"]);

/** What `getTokenForRepo` is asked. */
export interface TokenForRepoRequest {
  userId?: string | undefined;
  tenantId?: string | undefined;
  owner: string;
  repo: string;
  access: RepoAccess;
  prefer: "user" | "app";
  rejectedTokenSha256?: string | undefined;
}

/**
 * `getTokenForRepo`'s answer from this isolate's memory alone, with no await, when it is the plain one:
 * the person's token (`prefer: "user"`, `userTokenFromMemory`) or the App's (`prefer: "app"`, or no
 * person to prefer: `installationTokenFromMemory`). Anything else (a fallback, a failure, a miss) is
 * undefined and decided the long way (`getTokenForRepo`, whose person and App steps check memory first
 * too). The service asks it before any promise is made: each async step of the long way cost more than
 * its work (P2 in docs/BENCHMARKS.md).
 */
export function tokenForRepoFromMemory(
  deps: Pick<ServiceDeps, "config" | "now">,
  input: TokenForRepoRequest,
): GetTokenForRepoResult | undefined {
  // The answers are spelled out rather than spread: a rest-and-spread copy per warm call showed in P2.
  if (input.prefer === "user" && input.userId !== undefined) {
    const user = userTokenFromMemory(deps, {
      userId: input.userId,
      owner: input.owner,
      repo: input.repo,
      access: input.access,
      rejectedTokenSha256: input.rejectedTokenSha256,
    });
    if (user === undefined) return undefined;
    return {
      ok: true,
      source: "user",
      token: user.token,
      expiresAt: user.expiresAt,
      identity: user.identity,
      access: user.access,
    };
  }
  if (input.tenantId === undefined) return undefined;
  const app = installationTokenFromMemory(deps, {
    tenantId: input.tenantId,
    owner: input.owner,
    repo: input.repo,
    permissions: permissionsFor(input.access),
  });
  if (app === undefined) return undefined;
  const answer: GetTokenForRepoResult = {
    ok: true,
    source: "app",
    token: app.token,
    expiresAt: app.expiresAt,
    installationId: app.installationId,
    permissions: app.permissions,
    identity: app.identity,
  };
  if (input.prefer === "user") answer.fallbackReason = "no_user";
  return answer;
}

/**
 * The person's token when it works, else the App's, saying why (`fallbackReason`). The fallback is taken
 * only when the person's token is unavailable (gate off, not connected, reconnect required, SAML SSO not
 * yet authorized — then `personAction` says what the person must do) and never
 * when they lack access to the repository (`no_repo_access` is returned as is): the App's token must not
 * lend a person access they do not have. The fallback, like `prefer: "app"`, is the App path: it needs
 * a `tenantId` that claimed the installation (else `no_entitlement`), so a person who disconnects, or
 * never connected, gets no more than their tenant was granted. Transient trouble is returned too, not papered over with the
 * App's identity. The App's token is narrowed to `contents: <access>` + `metadata: read`. A
 * `rejectedTokenSha256` naming the stored token that GitHub now calls dead ends as `reconnect_required`.
 */
export async function getTokenForRepo(
  deps: ServiceDeps,
  input: TokenForRepoRequest,
): Promise<GetTokenForRepoResult> {
  let fallbackReason: FallbackReason | undefined;
  let personAction: PersonAction | undefined;
  if (input.prefer === "user") {
    if (input.userId === undefined) {
      fallbackReason = "no_user";
    } else {
      const user = await getUserTokenForRepo(deps, {
        userId: input.userId,
        owner: input.owner,
        repo: input.repo,
        access: input.access,
        rejectedTokenSha256: input.rejectedTokenSha256,
      });
      if (user.ok) {
        const { ok: _ok, ...rest } = user;
        return { ok: true, source: "user", ...rest };
      }
      if (!UNAVAILABLE.has(user.reason)) return user as GetTokenForRepoResult;
      fallbackReason = user.reason as FallbackReason;
      // The platform tells the person (a settings link); the agent only sees the App's token.
      personAction = user.personAction;
    }
  }
  const app =
    input.tenantId === undefined
      ? ({
          ok: false,
          reason: "no_entitlement",
          message: "the App's token needs a tenantId that claimed the repository's installation",
        } as const)
      : await getInstallationToken(deps, {
          tenantId: input.tenantId,
          owner: input.owner,
          repo: input.repo,
          permissions: permissionsFor(input.access),
        });
  const action = personAction === undefined ? {} : { personAction };
  if (!app.ok) return fallbackReason === undefined ? app : { ...app, fallbackReason, ...action };
  const { ok: _ok, ...rest } = app;
  return fallbackReason === undefined
    ? { ok: true, source: "app", ...rest }
    : { ok: true, source: "app", ...rest, fallbackReason, ...action };
}
