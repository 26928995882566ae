import { sql } from "drizzle-orm";
import type { Database } from "./open-database.ts";

export interface InstallationForRepo {
  installationId: number;
  /** The account the installation is on, as last stored: a mint's repositories must belong to it. */
  accountId: number;
  suspended: boolean;
}

/**
 * The App installation covering `owner/repo` according to the tables webhooks keep current: one whose
 * selected repositories include it, or an `all`-repositories installation on the owner's account.
 * Deleted installations are ignored. Undefined means "ask GitHub" (the tables are filled lazily).
 *
 * Matching is by the stored login, which a rename makes stale: two rows may claim one login (the old
 * holder not yet told of its rename, and whoever took the name). The row whose login was written last is
 * preferred, and the caller checks the minted token's repository and account against the answer anyway.
 */
export async function findInstallationForRepo(
  db: Database,
  owner: string,
  repo: string,
): Promise<InstallationForRepo | undefined> {
  const fullName = `${owner}/${repo}`.toLowerCase();
  const result = await db.execute<{
    installation_id: string | number;
    account_id: string | number;
    suspended: boolean;
  }>(sql`
    select i.installation_id, i.account_id, (i.suspended_at is not null) as suspended
    from github_installations i
    where i.deleted_at is null and (
      exists (
        select 1 from github_installation_repositories r
        where r.installation_id = i.installation_id and r.full_name = ${fullName}
      )
      or (i.repository_selection = 'all' and lower(i.account_login) = ${owner.toLowerCase()})
    )
    order by (i.suspended_at is null) desc, i.updated_at desc, i.installation_id
    limit 1`);
  const row = result.rows[0];
  if (row === undefined) return undefined;
  return {
    installationId: Number(row.installation_id),
    accountId: Number(row.account_id),
    suspended: row.suspended === true,
  };
}
