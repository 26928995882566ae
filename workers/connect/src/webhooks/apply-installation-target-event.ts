import { type Database, renameInstallationAccount } from "@gitcred/db";
import type { InstallationTargetPayload } from "./payloads.ts";

/**
 * `installation_target` renamed: the installation's account (same id) under its new login, in the
 * installations table and its selected repositories' names. Returns the installations whose caches
 * must be forgotten: this one (tokens and lookups keyed by the old login) and any other that still
 * claimed the new login for another account. Without this the old login keeps yielding this
 * installation's tokens, also to whoever takes that login next.
 */
export async function applyInstallationTargetEvent(
  db: Database,
  payload: InstallationTargetPayload,
): Promise<{ outcome: "applied" | "ignored"; installations: number[] }> {
  if (payload.action !== "renamed") return { outcome: "ignored", installations: [] };
  const result = await renameInstallationAccount(db, {
    installationId: payload.installation.id,
    accountId: payload.account.id,
    login: payload.account.login,
  });
  return { outcome: "applied", installations: [payload.installation.id, ...result.staleHolders] };
}
