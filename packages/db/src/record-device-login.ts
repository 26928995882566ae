import { eq } from "drizzle-orm";
import type { Database } from "./open-database.ts";
import { deviceAuthorizations } from "./schema.ts";

/**
 * The login a device authorization connected, kept on the person's row (erased with it) rather than in
 * the Durable Object's storage, which erasure cannot reach.
 */
export async function recordDeviceLogin(db: Database, objectId: string, login: string): Promise<void> {
  await db.update(deviceAuthorizations).set({ login }).where(eq(deviceAuthorizations.objectId, objectId));
}
