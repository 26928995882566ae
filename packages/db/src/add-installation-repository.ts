import type { Database } from "./open-database.ts";
import { githubInstallationRepositories } from "./schema.ts";

/** Records that a `selected` installation covers a repository (full name stored lower-cased). */
export async function addInstallationRepository(
  db: Database,
  installationId: number,
  repositoryId: number,
  fullName: string,
): Promise<void> {
  await db
    .insert(githubInstallationRepositories)
    .values({ installationId, repositoryId, fullName: fullName.toLowerCase() })
    .onConflictDoUpdate({
      target: [githubInstallationRepositories.installationId, githubInstallationRepositories.repositoryId],
      set: { fullName: fullName.toLowerCase() },
    });
}
