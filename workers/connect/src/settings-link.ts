import { type Database, settingsLinks } from "@gitcred/db";
import { randomToken, sha256Hex } from "@gitcred/utils";
import { and, eq, gt, lt } from "drizzle-orm";
import type { PlatformAccount } from "./platform-account.ts";

/** How long a settings link works: long enough to open from a chat message, short enough to not linger. */
export const SETTINGS_LINK_TTL_SECONDS = 15 * 60;

export interface SettingsLink {
  url: string;
  expiresAt: string;
}

/**
 * Creates a single-use link to the settings page for one person. The id is random (256 bits) and only
 * its hash is stored, so a database read does not yield working links. The platform delivers the URL
 * to the person itself; an agent never receives it.
 */
export async function createSettingsLink(
  db: Database,
  input: {
    userId: string;
    tenantId?: string | undefined;
    /** Shown on the link's interstitial and every page, so a person can tell whose account it is. */
    displayName?: string | undefined;
    avatarUrl?: string | undefined;
    returnTo: string;
    publicUrl: string;
    now?: Date;
  },
): Promise<SettingsLink> {
  const id = randomToken(32);
  const now = input.now ?? new Date();
  const expiresAt = new Date(now.getTime() + SETTINGS_LINK_TTL_SECONDS * 1000);
  await db.insert(settingsLinks).values({
    linkHash: await sha256Hex(id),
    userId: input.userId,
    tenantId: input.tenantId ?? null,
    accountName: input.displayName ?? null,
    accountAvatarUrl: input.avatarUrl ?? null,
    returnTo: input.returnTo,
    expiresAt,
  });
  // Expired links are swept opportunistically; they can no longer be redeemed anyway.
  await db.delete(settingsLinks).where(lt(settingsLinks.expiresAt, now));
  return {
    url: `${input.publicUrl}/settings?s=${encodeURIComponent(id)}`,
    expiresAt: expiresAt.toISOString(),
  };
}

export type RedeemedSettingsLink =
  | { ok: true; userId: string; tenantId: string; returnTo: string; account: PlatformAccount }
  | { ok: false; reason: "invalid_link" };

/** What the pages call the link's account: the platform's name for it, else (older links) the user id. */
export function accountOf(row: {
  userId: string;
  accountName: string | null;
  accountAvatarUrl: string | null;
}): PlatformAccount {
  return {
    displayName: row.accountName ?? row.userId,
    ...(row.accountAvatarUrl === null ? {} : { avatarUrl: row.accountAvatarUrl }),
  };
}

/**
 * Trades a link id for its user, exactly once: one `DELETE ... RETURNING`, so two browsers opening the
 * same link at the same moment cannot both get a session. Called only from the interstitial's POST: a
 * GET or HEAD (a link-preview scanner, a victim opening someone else's link) must never spend it.
 */
export async function redeemSettingsLink(
  db: Database,
  id: string,
  now = new Date(),
): Promise<RedeemedSettingsLink> {
  if (id.length < 16 || id.length > 128) return { ok: false, reason: "invalid_link" };
  const [row] = await db
    .delete(settingsLinks)
    .where(and(eq(settingsLinks.linkHash, await sha256Hex(id)), gt(settingsLinks.expiresAt, now)))
    .returning({
      userId: settingsLinks.userId,
      tenantId: settingsLinks.tenantId,
      returnTo: settingsLinks.returnTo,
      accountName: settingsLinks.accountName,
      accountAvatarUrl: settingsLinks.accountAvatarUrl,
    });
  if (row === undefined) return { ok: false, reason: "invalid_link" };
  return {
    ok: true,
    userId: row.userId,
    tenantId: row.tenantId ?? row.userId,
    returnTo: row.returnTo,
    account: accountOf(row),
  };
}
