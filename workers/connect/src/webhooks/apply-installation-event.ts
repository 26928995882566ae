import {
  addInstallationRepository,
  type Database,
  githubInstallationRepositories,
  githubInstallations,
  upsertInstallation,
} from "@gitcred/db";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { InstallationPayload, InstallationRepositoriesPayload } from "./payloads.ts";

type Installation = InstallationPayload["installation"];

function facts(installation: Installation, suspended: boolean) {
  return {
    installationId: installation.id,
    accountLogin: installation.account.login,
    accountId: installation.account.id,
    accountType: installation.account.type,
    repositorySelection: installation.repository_selection,
    suspendedAt: suspended ? new Date(installation.suspended_at ?? Date.now()) : null,
  };
}

/** `installation` created / deleted / suspend / unsuspend: the installations table follows GitHub. */
export async function applyInstallationEvent(
  db: Database,
  payload: InstallationPayload,
): Promise<"applied" | "ignored"> {
  const { installation } = payload;
  switch (payload.action) {
    case "created":
    case "new_permissions_accepted":
    case "unsuspend":
    case "suspend": {
      await upsertInstallation(db, facts(installation, payload.action === "suspend"));
      if (payload.action === "created" && installation.repository_selection === "selected") {
        for (const repo of payload.repositories ?? []) {
          await addInstallationRepository(db, installation.id, repo.id, repo.full_name);
        }
      }
      return "applied";
    }
    case "deleted":
      await db
        .update(githubInstallations)
        .set({ deletedAt: sql`now()`, updatedAt: sql`now()` })
        .where(eq(githubInstallations.installationId, installation.id));
      await db
        .delete(githubInstallationRepositories)
        .where(eq(githubInstallationRepositories.installationId, installation.id));
      return "applied";
    default:
      return "ignored";
  }
}

/** `installation_repositories` added / removed: the selected-repositories table follows GitHub. */
export async function applyInstallationRepositoriesEvent(
  db: Database,
  payload: InstallationRepositoriesPayload,
): Promise<"applied" | "ignored"> {
  if (payload.action !== "added" && payload.action !== "removed") return "ignored";
  const { installation } = payload;
  await upsertInstallation(db, {
    ...facts(installation, installation.suspended_at != null),
    repositorySelection: payload.repository_selection ?? installation.repository_selection,
  });
  for (const repo of payload.repositories_added) {
    await addInstallationRepository(db, installation.id, repo.id, repo.full_name);
  }
  const removed = payload.repositories_removed.map((r) => r.id);
  if (removed.length > 0) {
    await db
      .delete(githubInstallationRepositories)
      .where(
        and(
          eq(githubInstallationRepositories.installationId, installation.id),
          inArray(githubInstallationRepositories.repositoryId, removed),
        ),
      );
  }
  return "applied";
}
