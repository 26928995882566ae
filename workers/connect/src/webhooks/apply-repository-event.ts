import { type Database, moveInstallationRepository } from "@gitcred/db";
import type { RepositoryPayload } from "./payloads.ts";

/**
 * `repository` renamed / transferred: the selected-repositories table follows the repository by id
 * (new name; rows of installations on the old owner's account go after a transfer). Returns the
 * installations whose cached tokens and lookups name the old `owner/repo` and must be forgotten: those
 * whose rows changed, and the one the delivery names. Without this the old name keeps resolving to an
 * installation that no longer has it (and a token cached for the old name keeps being handed out).
 */
export async function applyRepositoryEvent(
  db: Database,
  payload: RepositoryPayload,
): Promise<{ outcome: "applied" | "ignored"; installations: number[] }> {
  if (payload.action !== "renamed" && payload.action !== "transferred") {
    return { outcome: "ignored", installations: [] };
  }
  const changed = await moveInstallationRepository(db, {
    repositoryId: payload.repository.id,
    fullName: payload.repository.full_name,
    ownerId: payload.repository.owner.id,
  });
  const named = payload.installation === undefined ? [] : [payload.installation.id];
  return { outcome: "applied", installations: [...new Set([...changed, ...named])] };
}
