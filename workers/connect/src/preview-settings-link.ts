import { type Database, settingsLinks } from "@gitcred/db";
import { sha256Hex } from "@gitcred/utils";
import { and, eq, gt } from "drizzle-orm";
import type { PlatformAccount } from "./platform-account.ts";
import { accountOf } from "./settings-link.ts";

export type SettingsLinkPreview =
  | { ok: true; account: PlatformAccount; expiresAt: Date }
  | { ok: false; reason: "invalid_link" };

/**
 * Reads a link without spending it, for the interstitial a GET or HEAD shows: a plain `SELECT`, so a
 * link-preview scanner (or a person who opens a link someone else sent) leaves the link working and
 * gets no session — only the interstitial's POST redeems it.
 */
export async function previewSettingsLink(
  db: Database,
  id: string,
  now = new Date(),
): Promise<SettingsLinkPreview> {
  if (id.length < 16 || id.length > 128) return { ok: false, reason: "invalid_link" };
  const [row] = await db
    .select({
      userId: settingsLinks.userId,
      accountName: settingsLinks.accountName,
      accountAvatarUrl: settingsLinks.accountAvatarUrl,
      expiresAt: settingsLinks.expiresAt,
    })
    .from(settingsLinks)
    .where(and(eq(settingsLinks.linkHash, await sha256Hex(id)), gt(settingsLinks.expiresAt, now)))
    .limit(1);
  if (row === undefined) return { ok: false, reason: "invalid_link" };
  return { ok: true, account: accountOf(row), expiresAt: row.expiresAt };
}
