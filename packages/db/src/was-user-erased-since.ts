import { sha256Hex } from "@gitcred/utils";
import { and, eq, gte } from "drizzle-orm";
import type { Database } from "./open-database.ts";
import { userErasures } from "./schema.ts";

/**
 * Whether the person's data was erased at or after `since` (a page session's start): such a session is
 * refused. Without it, an open settings page kept answering as an erased person for up to 8 h, since KV
 * page sessions cannot be found by person, nor deleted everywhere at once.
 */
export async function wasUserErasedSince(db: Database, userId: string, since: Date): Promise<boolean> {
  const rows = await db
    .select({ erasedAt: userErasures.erasedAt })
    .from(userErasures)
    .where(and(eq(userErasures.userHash, await sha256Hex(userId)), gte(userErasures.erasedAt, since)));
  return rows.length > 0;
}
