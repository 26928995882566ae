import { sql } from "drizzle-orm";
import type { Database } from "./open-database.ts";
import { deviceAuthorizations } from "./schema.ts";

/**
 * Makes `objectId` the person's one current device authorization, replacing any earlier one (one upsert on
 * the person's row). The replaced object finds its id gone before its next poll and stops: without this,
 * every start added a poller hitting GitHub's token endpoint every 5 s, and a dozen starts from one page
 * used up the App's 2,000 token requests an hour for everyone.
 */
export async function claimDeviceAuthorization(
  db: Database,
  input: { userId: string; objectId: string },
): Promise<void> {
  await db
    .insert(deviceAuthorizations)
    .values({ userId: input.userId, objectId: input.objectId })
    .onConflictDoUpdate({
      target: deviceAuthorizations.userId,
      set: { objectId: input.objectId, login: null, createdAt: sql`now()` },
    });
}
