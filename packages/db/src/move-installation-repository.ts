import { sql } from "drizzle-orm";
import type { Database } from "./open-database.ts";

/** A repository as GitHub names it after a rename or a transfer (`repository` renamed / transferred). */
export interface MovedRepository {
  repositoryId: number;
  fullName: string;
  ownerId: number;
}

/**
 * Follows a renamed or transferred repository in the selected-repositories table, by its id (which
 * never changes): rows of installations on its owner's account take the new name; rows of installations
 * on other accounts go (a transferred repository leaves the old owner's installations). Without this the
 * old name keeps resolving to an installation that no longer holds it, and the new name resolves to
 * nothing. Returns every installation whose rows changed, so the caller forgets what it cached for them.
 */
export async function moveInstallationRepository(db: Database, moved: MovedRepository): Promise<number[]> {
  const renamed = await db.execute<{ installation_id: string | number }>(sql`
    update github_installation_repositories r set full_name = ${moved.fullName.toLowerCase()}
    from github_installations i
    where r.installation_id = i.installation_id and r.repository_id = ${moved.repositoryId}
      and i.account_id = ${moved.ownerId}
    returning r.installation_id`);
  const removed = await db.execute<{ installation_id: string | number }>(sql`
    delete from github_installation_repositories r
    using github_installations i
    where r.installation_id = i.installation_id and r.repository_id = ${moved.repositoryId}
      and i.account_id <> ${moved.ownerId}
    returning r.installation_id`);
  const ids = [...renamed.rows, ...removed.rows].map((r) => Number(r.installation_id));
  return [...new Set(ids)];
}
