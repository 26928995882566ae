import type { GetInstallationTokenResult, InstallationPermissions, RpcFailure } from "@gitcred/client";
import { addInstallationRepository } from "@gitcred/db";
import { type AppCredentials, createInstallationToken, revokeInstallationToken } from "@gitcred/github";
import type { AppConfig } from "../config.ts";
import type { ServiceDeps } from "../deps.ts";
import { SingleFlight } from "../single-flight.ts";
import { appCredentials } from "./app-credentials.ts";
import { isMintForRepository } from "./check-minted-repository.ts";
import { getBotIdentity } from "./get-bot-identity.ts";
import { isEntitled } from "./installation-entitlement.ts";
import { installationTokenStore } from "./installation-token-cache.ts";
import { installationTokenAnswer, installationTokenFromMemory } from "./installation-token-from-memory.ts";
import { permissionsAboveCeiling } from "./permission-ceiling.ts";
import { refreshInstallationAccount } from "./refresh-installation-account.ts";
import {
  forgetInstallationLookup,
  type InstallationLookup,
  resolveInstallation,
} from "./resolve-installation.ts";

type MintFailure = Exclude<GetInstallationTokenResult, { ok: true }>;
/** A token the App may hand out for the repository asked (epoch-ms expiry). */
interface InstallationToken {
  token: string;
  expiresAt: number;
  installationId: number;
  permissions: InstallationPermissions;
}

type MintResult = ({ ok: true } & InstallationToken) | MintFailure;

const mints = new SingleFlight<MintResult>();

/** A permission set in one canonical order (`name=level`), so equal sets share a flight. */
function canonicalPermissions(permissions: InstallationPermissions): string {
  return Object.entries(permissions)
    .map(([name, level]) => `${name}=${level}`)
    .sort()
    .join(",");
}

function notConfigured(message: string): RpcFailure<"app_not_configured"> {
  return { ok: false, reason: "app_not_configured", message };
}

function notEntitled(): RpcFailure<"no_entitlement"> {
  return {
    ok: false,
    reason: "no_entitlement",
    message: "this tenant has not claimed the App's installation on this repository",
  };
}

/** Input of `getInstallationToken`: the tenant is whose claim is checked. */
export interface InstallationTokenRequest {
  tenantId: string;
  owner: string;
  repo: string;
  permissions: InstallationPermissions;
}

/** One ask of auth-app for the installation's token: from the cache, or minted, and checked either way. */
async function mintOnce(
  deps: ServiceDeps,
  app: AppConfig,
  credentials: AppCredentials,
  lookup: Extract<InstallationLookup, { ok: true }>,
  input: { owner: string; repo: string; permissions: InstallationPermissions },
): Promise<MintResult | "stale_installation" | "wrong_repository"> {
  const asked = { owner: input.owner, repo: input.repo, accountId: lookup.accountId };
  const result = await createInstallationToken(deps.config.github, credentials, {
    installationId: lookup.installationId,
    repositories: [input.repo],
    permissions: input.permissions,
    store: installationTokenStore(deps, app.appId),
    // Only a token for the repository asked is cached under the installation's key.
    accept: (repositories) => isMintForRepository(repositories, asked),
  });
  if (result.ok) {
    const minted = result.installationToken;
    if (!isMintForRepository(minted.repositories, asked)) {
      // GitHub resolved the name inside the installation's current account (renamed, or the login is
      // someone else's now): this token is for another repository. Never returned; one this call minted
      // (so nobody else holds it) is revoked, so it does not stay valid for an hour.
      deps.logger.warn("token is for another repository than asked; refused", {
        installationId: lookup.installationId,
        listed: minted.repositories.length,
        minted: minted.minted,
      });
      if (minted.minted) {
        deps.waitUntil(revokeInstallationToken(deps.config.github, minted.token).catch(() => {}));
      }
      return "wrong_repository";
    }
    if (lookup.source === "api" && minted.minted) {
      for (const repository of minted.repositories) {
        await addInstallationRepository(
          deps.db(),
          lookup.installationId,
          repository.id,
          repository.fullName,
        ).catch((error: unknown) => deps.logger.warn("could not record installation repository", { error }));
      }
    }
    return {
      ok: true,
      token: minted.token,
      expiresAt: minted.expiresAt.getTime(),
      installationId: lookup.installationId,
      permissions: minted.permissions,
    };
  }
  switch (result.reason) {
    case "validation_failed":
      if (/permission/i.test(result.message)) {
        return {
          ok: false,
          reason: "permissions_not_granted",
          message: "the installation lacks a permission asked for",
        };
      }
      return lookup.source === "api"
        ? { ok: false, reason: "no_installation", message: "the installation does not cover this repository" }
        : "stale_installation";
    case "not_found":
      return lookup.source === "api"
        ? { ok: false, reason: "no_installation", message: "the App is not installed on this repository" }
        : "stale_installation";
    case "forbidden":
      if (/suspend/i.test(result.message)) {
        // Suspended since memory or the table last looked: ask GitHub, which also updates the table.
        return lookup.source === "api"
          ? { ok: false, reason: "installation_suspended", message: "the App's installation is suspended" }
          : "stale_installation";
      }
      return {
        ok: false,
        reason: "permissions_not_granted",
        message: "GitHub refused the token for this installation",
      };
    case "unauthorized":
      return notConfigured("GitHub refused the App's JWT: check GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY");
    case "rate_limited":
    case "github_unavailable":
      return {
        ok: false,
        reason: result.reason,
        message: result.message,
        retryAfterSeconds: result.retryAfterSeconds ?? 5,
      };
    default:
      return { ok: false, reason: "github_unavailable", message: result.message, retryAfterSeconds: 5 };
  }
}

async function mint(
  deps: ServiceDeps,
  app: AppConfig,
  credentials: AppCredentials,
  input: InstallationTokenRequest,
): Promise<MintResult> {
  let lookup = await resolveInstallation(deps, app, credentials, input.owner, input.repo);
  if (!lookup.ok) return lookup;
  // The claim is checked before GitHub is asked for a token (and before the cache is read): nothing is
  // minted or handed out for a tenant without one, and a revoked claim is not outlived by the cache.
  if (!(await isEntitled(deps, input.tenantId, lookup.installationId))) return notEntitled();
  let minted = await mintOnce(deps, app, credentials, lookup, input);
  if (minted === "wrong_repository") {
    // The tables matched the installation by a login it no longer has: learn its current one (which
    // also forgets what was cached under the old names) before asking GitHub about the repository.
    await refreshInstallationAccount(deps, credentials, lookup.installationId);
  }
  if (minted === "stale_installation" || minted === "wrong_repository") {
    // Memory or the table named an installation GitHub no longer agrees with: ask GitHub, once.
    forgetInstallationLookup(app, input.owner, input.repo);
    lookup = await resolveInstallation(deps, app, credentials, input.owner, input.repo, true);
    if (!lookup.ok) return lookup;
    if (!(await isEntitled(deps, input.tenantId, lookup.installationId))) return notEntitled();
    minted = await mintOnce(deps, app, credentials, lookup, input);
    if (minted === "stale_installation" || minted === "wrong_repository") {
      return { ok: false, reason: "no_installation", message: "the App is not installed on this repository" };
    }
  }
  return minted;
}

/**
 * The App's token for one repository, for a tenant entitled to it: asked above the permission ceiling,
 * it is refused before anything else; then the repository's installation must be claimed by
 * `tenantId` (checked before a mint, and again for a cached token, so a revoked claim is not outlived
 * by the cache). Minted through `@octokit/auth-app` for that repository only, with exactly the
 * permissions asked, and reused from its cache (ours: isolate memory, then KV encrypted) until 10 minutes
 * before it expires. Concurrent requests of one tenant for the same token in one isolate share one
 * flight. The identity is the App's bot. A warm ask is answered from memory first
 * (`installationTokenFromMemory`), with the same checks.
 */
export async function getInstallationToken(
  deps: ServiceDeps,
  input: InstallationTokenRequest,
): Promise<GetInstallationTokenResult> {
  const warm = installationTokenFromMemory(deps, input);
  if (warm !== undefined) return warm;
  const app = deps.config.app;
  if (app === undefined) return notConfigured("GITHUB_APP_ID and GITHUB_APP_SLUG must be set");
  const ceiling = deps.config.permissionCeiling;
  if (ceiling instanceof Error) throw ceiling;
  const above = permissionsAboveCeiling(input.permissions, ceiling);
  if (above.length > 0) {
    return {
      ok: false,
      reason: "permissions_not_granted",
      message: `above this deployment's permission ceiling: ${above.join(", ")}`,
    };
  }
  const credentials = await appCredentials(deps, app);
  if ("ok" in credentials) return credentials;
  // One flight per tenant and token: a tenant never waits on (or shares) a lookup gated by another's
  // claim. Concurrent mints of one token are shared further down, by auth-app itself.
  const flight = `${app.appId}:${input.owner}/${input.repo}:${canonicalPermissions(input.permissions)}`;
  const token = await mints.run(`${flight.toLowerCase()}\n${input.tenantId}`, () =>
    mint(deps, app, credentials, input),
  );
  if (!token.ok) return token;
  const identity = await getBotIdentity(deps, app, token.token);
  if (!identity.ok) return identity;
  return installationTokenAnswer(token, token.installationId, identity.identity);
}
