import type { AppIdentity, GetInstallationTokenResult, InstallationPermissions } from "@gitcred/client";
import { installationTokenStoreKey, tokenOfStoredValue } from "@gitcred/github";
import type { ServiceDeps } from "../deps.ts";
import { isoTime } from "../iso-time.ts";
import { isMintForRepository } from "./check-minted-repository.ts";
import { botIdentityInMemory } from "./get-bot-identity.ts";
import { isEntitledInMemory } from "./installation-entitlement.ts";
import { installationTokenInMemory } from "./installation-token-cache.ts";
import { exceedsCeiling } from "./permission-ceiling.ts";
import { installationInMemory } from "./resolve-installation.ts";

export type InstallationTokenAnswer = Extract<GetInstallationTokenResult, { ok: true }>;

/** The answer for an App token checked for the repository asked. */
export function installationTokenAnswer(
  token: { token: string; expiresAt: number; permissions: InstallationPermissions },
  installationId: number,
  identity: AppIdentity,
): InstallationTokenAnswer {
  return {
    ok: true,
    token: token.token,
    expiresAt: isoTime(token.expiresAt),
    installationId,
    permissions: token.permissions,
    identity,
  };
}

/**
 * The App's token for a repository from this isolate's memory alone, with no await: the warm path of
 * `getInstallationToken`, which asks it first. Every check of the long way is made, in its order, on
 * what memory holds: the permission ceiling, the repository's installation, the tenant's claim on it
 * (the same 5 s memo, forgotten at once by a revocation this isolate handles), a stored token for
 * exactly these permissions that is good for more than the expiry margin and was minted for this very
 * repository of this account, and the bot's identity. Undefined as soon as one of them is not in
 * memory or does not hold: the long way answers (and its failures). Without it a warm App call went
 * through about a dozen promise turns (P2 in docs/BENCHMARKS.md).
 */
export function installationTokenFromMemory(
  deps: Pick<ServiceDeps, "config" | "now">,
  input: { tenantId: string; owner: string; repo: string; permissions: InstallationPermissions },
): InstallationTokenAnswer | undefined {
  const app = deps.config.app;
  const ceiling = deps.config.permissionCeiling;
  if (app === undefined || ceiling instanceof Error) return undefined;
  if (exceedsCeiling(input.permissions, ceiling)) return undefined;
  const lookup = installationInMemory(app, input.owner, input.repo);
  if (lookup === undefined || !lookup.ok) return undefined;
  if (!isEntitledInMemory(input.tenantId, lookup.installationId)) return undefined;
  const ask = {
    installationId: lookup.installationId,
    repositories: [input.repo],
    permissions: input.permissions,
  };
  const stored = installationTokenInMemory(app.appId, installationTokenStoreKey(ask), deps.now());
  const token = stored === undefined ? "" : tokenOfStoredValue(stored.value);
  if (stored === undefined || token === "") return undefined;
  const asked = { owner: input.owner, repo: input.repo, accountId: lookup.accountId };
  if (!isMintForRepository(stored.repositories, asked)) return undefined;
  const identity = botIdentityInMemory(app, deps.config.github.apiUrl);
  if (identity === undefined) return undefined;
  // The permissions asked, as the long way answers a stored token: its key pins them exactly.
  return installationTokenAnswer(
    { token, expiresAt: stored.expiresAt, permissions: { ...input.permissions } },
    lookup.installationId,
    identity,
  );
}
