import { sql } from "drizzle-orm";
import type { Database } from "./open-database.ts";
import { githubInstallations } from "./schema.ts";

export interface InstallationFacts {
  installationId: number;
  accountLogin: string;
  accountId: number;
  accountType: string;
  repositorySelection: "all" | "selected";
  suspendedAt: Date | null;
}

/**
 * Lazily fills the installations table from what the API just said (webhooks keep it current after).
 * A fresh API answer wins over the stored row, and un-deletes an installation GitHub still reports.
 */
export async function upsertInstallation(db: Database, facts: InstallationFacts): Promise<void> {
  await db
    .insert(githubInstallations)
    .values(facts)
    .onConflictDoUpdate({
      target: githubInstallations.installationId,
      set: {
        accountLogin: facts.accountLogin,
        accountId: facts.accountId,
        accountType: facts.accountType,
        repositorySelection: facts.repositorySelection,
        suspendedAt: facts.suspendedAt,
        deletedAt: null,
        updatedAt: sql`now()`,
      },
    });
}
