import { eq } from "drizzle-orm";
import type { Database } from "./open-database.ts";
import { deviceAuthorizations } from "./schema.ts";

/**
 * Whose device authorization object `objectId` is, if it is still that person's current one. Undefined
 * once a newer start replaced it or the person's data was erased: the object then must not poll or answer.
 */
export async function readDeviceAuthorization(
  db: Database,
  objectId: string,
): Promise<{ userId: string; login: string | null } | undefined> {
  const [row] = await db
    .select({ userId: deviceAuthorizations.userId, login: deviceAuthorizations.login })
    .from(deviceAuthorizations)
    .where(eq(deviceAuthorizations.objectId, objectId));
  return row;
}
