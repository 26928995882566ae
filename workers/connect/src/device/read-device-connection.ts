import { type Database, deviceAuthorizations } from "@gitcred/db";
import { eq } from "drizzle-orm";

/** What the settings page shows of a recent device-code connection. */
export interface RecentDeviceConnection {
  login: string;
  /** When the device code that connected it was issued (it works for at most 10 minutes). */
  issuedAt: string;
}

/**
 * The person's device-code connection, if it is still the connected account. A user code can be sent to
 * someone else (RFC 8628 §5.4, remote phishing): whoever enters it connects *their* GitHub account to
 * this platform account without ever seeing our page, so the page names it afterwards. Read from the
 * person's `device_authorizations` row (its login is set when the code connected), which erasure
 * deletes with the rest of the person's data.
 */
export async function readDeviceConnection(
  db: Database,
  userId: string,
  connectedLogin: string | undefined,
): Promise<RecentDeviceConnection | undefined> {
  if (connectedLogin === undefined) return undefined;
  const [row] = await db
    .select({ login: deviceAuthorizations.login, createdAt: deviceAuthorizations.createdAt })
    .from(deviceAuthorizations)
    .where(eq(deviceAuthorizations.userId, userId));
  // GitHub logins are case-insensitive; a code that connected an account before is not this connection.
  if (row?.login == null || row.login.toLowerCase() !== connectedLogin.toLowerCase()) return undefined;
  return { login: row.login, issuedAt: row.createdAt.toISOString() };
}
