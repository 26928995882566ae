import { sql } from "drizzle-orm";
import type { Database } from "./open-database.ts";

/** The account of an installation as GitHub now names it (`installation_target` renamed, or the API). */
export interface InstallationAccountName {
  installationId: number;
  accountId: number;
  login: string;
}

/**
 * Records an installation's account under its new login (a renamed user or organisation keeps its id and
 * installation) and rewrites the owner part of its selected repositories' names to match. Only when the
 * stored account id is the one named: a payload naming another account changes nothing. Without this the
 * tables keep answering the old login with this installation, and once someone else takes that login,
 * their repositories would resolve to the old organisation's installation. Returns the installations
 * that still claimed the new login for another account (stale: that login moved away from them), so
 * the caller forgets what it cached for them.
 */
export async function renameInstallationAccount(
  db: Database,
  name: InstallationAccountName,
): Promise<{ renamed: boolean; staleHolders: number[] }> {
  const login = name.login;
  const updated = await db.execute<{ installation_id: string | number }>(sql`
    update github_installations set account_login = ${login}, updated_at = now()
    where installation_id = ${name.installationId} and account_id = ${name.accountId}
    returning installation_id`);
  const renamed = updated.rows.length > 0;
  if (renamed) {
    await db.execute(sql`
      update github_installation_repositories
      set full_name = ${login.toLowerCase()} || '/' || split_part(full_name, '/', 2)
      where installation_id = ${name.installationId}`);
  }
  const holders = await db.execute<{ installation_id: string | number }>(sql`
    select installation_id from github_installations
    where deleted_at is null and lower(account_login) = ${login.toLowerCase()}
      and account_id <> ${name.accountId}`);
  return { renamed, staleHolders: holders.rows.map((r) => Number(r.installation_id)) };
}
