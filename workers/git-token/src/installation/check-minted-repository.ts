import type { InstallationAccessToken } from "@gitcred/github";

/**
 * Whether GitHub's answer to a mint is a token for exactly the repository asked for: one repository,
 * named `owner/repo`, owned by the installation's account. GitHub resolves the names in
 * `repositories: [repo]` inside the installation's *current* account, so after `acme` became `acme-corp`
 * a mint for `acme/widgets` comes back for `acme-corp/widgets`; handed out, it would be reported as
 * `acme/widgets`, and once someone else took `acme`, their callers would get the old organisation's
 * token. An answer that lists no repositories cannot be checked and is refused the same way.
 */
export function isMintForRepository(
  repositories: InstallationAccessToken["repositories"],
  asked: { owner: string; repo: string; accountId?: number | undefined },
): boolean {
  if (repositories.length !== 1) return false;
  const [minted] = repositories;
  if (minted === undefined) return false;
  if (minted.fullName.toLowerCase() !== `${asked.owner}/${asked.repo}`.toLowerCase()) return false;
  // The account id survives renames: a login someone else took belongs to another id.
  return asked.accountId === undefined || minted.ownerId === undefined || minted.ownerId === asked.accountId;
}
