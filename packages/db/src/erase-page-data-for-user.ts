import { sha256Hex } from "@gitcred/utils";
import { eq, lt, sql } from "drizzle-orm";
import type { Database } from "./open-database.ts";
import { deviceAuthorizations, installStates, rateLimits, settingsLinks, userErasures } from "./schema.ts";

/** Page sessions live 8 h: an erasure marker older than that can no longer refuse anything. */
const MARKER_LIFETIME_MS = 8 * 60 * 60 * 1000;

export interface ErasedPageData {
  settingsLinksDeleted: number;
  installStatesDeleted: number;
  deviceAuthorizationsDeleted: number;
  rateLimitsDeleted: number;
}

/**
 * Erasure of what the connect worker keeps of a person: unopened settings links (each would still open a
 * settings page as them), pending install states, their device authorization (the device object, finding
 * no row, polls no more and answers nothing) and rate-limit counters; then an erasure marker (the hash of
 * the user id) that refuses every page session started before it. Markers past a page session's lifetime
 * are pruned here.
 */
export async function erasePageDataForUser(db: Database, userId: string, now: Date): Promise<ErasedPageData> {
  const links = await db
    .delete(settingsLinks)
    .where(eq(settingsLinks.userId, userId))
    .returning({ linkHash: settingsLinks.linkHash });
  const states = await db
    .delete(installStates)
    .where(eq(installStates.userId, userId))
    .returning({ stateHash: installStates.stateHash });
  const devices = await db
    .delete(deviceAuthorizations)
    .where(eq(deviceAuthorizations.userId, userId))
    .returning({ objectId: deviceAuthorizations.objectId });
  const limits = await db
    .delete(rateLimits)
    .where(eq(rateLimits.userId, userId))
    .returning({ bucket: rateLimits.bucket });
  await db
    .insert(userErasures)
    .values({ userHash: await sha256Hex(userId), erasedAt: sql`now()` })
    .onConflictDoUpdate({ target: userErasures.userHash, set: { erasedAt: sql`now()` } });
  await db
    .delete(userErasures)
    .where(lt(userErasures.erasedAt, new Date(now.getTime() - MARKER_LIFETIME_MS)));
  return {
    settingsLinksDeleted: links.length,
    installStatesDeleted: states.length,
    deviceAuthorizationsDeleted: devices.length,
    rateLimitsDeleted: limits.length,
  };
}
