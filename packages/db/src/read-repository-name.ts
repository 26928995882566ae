import { sql } from "drizzle-orm";
import type { Database } from "./open-database.ts";

/**
 * The stored (lower-cased) `owner/repo` of a repository by its id, which renames and transfers never
 * change: where a redirected name went, as far as the webhooks told us. Undefined when no selected
 * installation recorded it.
 */
export async function readRepositoryName(db: Database, repositoryId: number): Promise<string | undefined> {
  const result = await db.execute<{ full_name: string }>(sql`
    select full_name from github_installation_repositories r
    join github_installations i on i.installation_id = r.installation_id
    where r.repository_id = ${repositoryId} and i.deleted_at is null
    order by i.updated_at desc limit 1`);
  return result.rows[0]?.full_name;
}
