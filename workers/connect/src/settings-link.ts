import { type Database, settingsLinks } from "@gitcred/db";
import { randomToken, sha256Hex } from "@gitcred/utils";
import { and, eq, gt, lt } from "drizzle-orm";

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
  input: { userId: string; tenantId?: string | undefined; returnTo: string; publicUrl: string; now?: Date },
): Promise<SettingsLink> {
  const id = randomToken(32);
  const now = input.now ?? new Date();
  const expiresAt = new Date(now.getTime() + SETTINGS_LINK_TTL_SECONDS * 1000);
  await db.insert(settingsLinks).values({
    linkHash: await sha256Hex(id),
    userId: input.userId,
    tenantId: input.tenantId ?? null,
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
  | { ok: true; userId: string; tenantId: string; returnTo: string }
  | { ok: false; reason: "invalid_link" };

/**
 * Trades a link id for its user, exactly once: one `DELETE ... RETURNING`, so two browsers opening the
 * same link at the same moment cannot both get a session.
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
    });
  if (row === undefined) return { ok: false, reason: "invalid_link" };
  return { ok: true, userId: row.userId, tenantId: row.tenantId ?? row.userId, returnTo: row.returnTo };
}
