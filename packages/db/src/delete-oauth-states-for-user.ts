import { eq } from "drizzle-orm";
import type { Database } from "./open-database.ts";
import { oauthStates } from "./schema.ts";

/** Deletes every pending OAuth state of a person (data deletion); returns how many. */
export async function deleteOauthStatesForUser(db: Database, userId: string): Promise<number> {
  const rows = await db
    .delete(oauthStates)
    .where(eq(oauthStates.userId, userId))
    .returning({ stateHash: oauthStates.stateHash });
  return rows.length;
}
