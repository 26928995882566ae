import type { RpcFailure } from "@gitcred/client";
import { findInstallationForRepo, readRepositoryName, upsertInstallation } from "@gitcred/db";
import { type AppCredentials, getRepoInstallation } from "@gitcred/github";
import type { AppConfig } from "../config.ts";
import type { ServiceDeps } from "../deps.ts";
import { LruCache } from "../lru-cache.ts";

/** repo -> installation mapping in memory: positive 10 minutes, "not installed"/"suspended" 60 seconds. */
const POSITIVE_MS = 10 * 60_000;
const NEGATIVE_MS = 60_000;

type Cached = { installationId: number; accountId?: number; suspended?: true } | { installationId: null };
const lookups = new LruCache<Cached>(5000);

export type InstallationLookup =
  | {
      ok: true;
      installationId: number;
      /** The installation's account as stored or answered: a minted token's repositories must be its. */
      accountId?: number | undefined;
      source: "memory" | "database" | "api";
    }
  | (RpcFailure<
      | "no_installation"
      | "installation_suspended"
      | "app_not_configured"
      | "github_unavailable"
      | "rate_limited"
      | "repository_moved"
    > & { movedTo?: string });

function suspended(): InstallationLookup {
  return { ok: false, reason: "installation_suspended", message: "the App's installation is suspended" };
}

function lookupKey(app: AppConfig, owner: string, repo: string): string {
  return `${app.appId}:${owner}/${repo}`.toLowerCase();
}

/** Forgets what this isolate believes about a repository's installation (after GitHub contradicted it). */
export function forgetInstallationLookup(app: AppConfig, owner: string, repo: string): void {
  lookups.delete(lookupKey(app, owner, repo));
}

/** What this isolate remembers of `owner/repo`'s installation (`source: "memory"`), or undefined. */
export function installationInMemory(
  app: AppConfig,
  owner: string,
  repo: string,
): InstallationLookup | undefined {
  const cached = lookups.get(lookupKey(app, owner, repo));
  if (cached === undefined) return undefined;
  if (cached.installationId === null) {
    return { ok: false, reason: "no_installation", message: "the App is not installed on this repository" };
  }
  if (cached.suspended === true) return suspended();
  return { ok: true, installationId: cached.installationId, accountId: cached.accountId, source: "memory" };
}

/**
 * Which installation of the App covers `owner/repo`: isolate memory, then the installations tables
 * (kept current by webhooks), then `GET /repos/{owner}/{repo}/installation`, whose answer fills the
 * table lazily (and settles a row the table says is suspended: GitHub's word wins). `fromApiOnly` skips memory and database (used when GitHub refused a token for the
 * installation they named, i.e. they were stale).
 */
export async function resolveInstallation(
  deps: ServiceDeps,
  app: AppConfig,
  credentials: AppCredentials,
  owner: string,
  repo: string,
  fromApiOnly = false,
): Promise<InstallationLookup> {
  const key = lookupKey(app, owner, repo);
  if (!fromApiOnly) {
    const remembered = installationInMemory(app, owner, repo);
    if (remembered !== undefined) return remembered;
    const stored = await findInstallationForRepo(deps.db(), owner, repo);
    // A suspended row is checked with GitHub (below): a lost "unsuspend" webhook must not lock us out.
    if (stored !== undefined && !stored.suspended) {
      const entry = { installationId: stored.installationId, accountId: stored.accountId };
      lookups.set(key, entry, deps.now() + POSITIVE_MS);
      return { ok: true, ...entry, source: "database" };
    }
  }
  const result = await getRepoInstallation(deps.config.github, credentials, owner, repo);
  if (!result.ok) {
    if (result.reason === "not_found") {
      lookups.set(key, { installationId: null }, deps.now() + NEGATIVE_MS);
      return { ok: false, reason: "no_installation", message: "the App is not installed on this repository" };
    }
    if (result.reason === "moved") return moved(deps, owner, repo, result.movedRepositoryId);
    if (result.reason === "unauthorized") {
      return {
        ok: false,
        reason: "app_not_configured",
        message: "GitHub refused the App's JWT: check GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY",
      };
    }
    if (result.reason === "rate_limited" || result.reason === "github_unavailable") {
      return {
        ok: false,
        reason: result.reason,
        message: result.message,
        retryAfterSeconds: result.retryAfterSeconds ?? 5,
      };
    }
    return { ok: false, reason: "github_unavailable", message: result.message, retryAfterSeconds: 5 };
  }
  const installation = result.installation;
  try {
    await upsertInstallation(deps.db(), installation);
  } catch (error) {
    // Filling the table is an optimisation; GitHub's answer stands without it.
    deps.logger.warn("could not record installation", { installationId: installation.installationId, error });
  }
  if (installation.suspendedAt !== null) {
    lookups.set(
      key,
      { installationId: installation.installationId, suspended: true },
      deps.now() + NEGATIVE_MS,
    );
    return suspended();
  }
  const entry = { installationId: installation.installationId, accountId: installation.accountId };
  lookups.set(key, entry, deps.now() + POSITIVE_MS);
  return { ok: true, ...entry, source: "api" };
}

/**
 * GitHub redirects `owner/repo` (renamed or transferred): reported as `repository_moved`, never followed
 * to a token for whatever the name now leads to. The new name comes from the tables (the `repository`
 * webhooks keep them by repository id) when they know one other than the name asked for. Not cached:
 * a webhook may bring the new name any moment, and the answer costs one lookup.
 */
async function moved(
  deps: ServiceDeps,
  owner: string,
  repo: string,
  repositoryId: number | undefined,
): Promise<InstallationLookup> {
  const known =
    repositoryId === undefined
      ? undefined
      : await readRepositoryName(deps.db(), repositoryId).catch(() => undefined);
  const asked = `${owner}/${repo}`.toLowerCase();
  return {
    ok: false,
    reason: "repository_moved",
    message: "GitHub says this repository was renamed or transferred",
    ...(known !== undefined && known !== asked ? { movedTo: known } : {}),
  };
}

/** Forgets every repository this isolate mapped to `installationId`. */
export function forgetInstallationLookups(installationId: number): void {
  lookups.deleteWhere((value) => value.installationId === installationId);
}

/** Forgets every lookup (tests simulate a fresh isolate). */
export function clearInstallationLookups(): void {
  lookups.clear();
}
