import { deviceConnectionKey, type RecentDeviceConnection } from "./record-device-connection.ts";

/**
 * The person's recent device-code connection, if it is still the connected account: the settings page
 * names it so a connection made by entering a code someone sent is seen, not silent.
 */
export async function readDeviceConnection(
  kv: KVNamespace,
  userId: string,
  connectedLogin: string | undefined,
): Promise<RecentDeviceConnection | undefined> {
  if (connectedLogin === undefined) return undefined;
  const stored = await kv.get<RecentDeviceConnection>(deviceConnectionKey(userId), "json");
  if (stored === null || typeof stored.login !== "string" || typeof stored.connectedAt !== "string")
    return undefined;
  // GitHub logins are case-insensitive; a record of an account connected before is not this connection.
  return stored.login.toLowerCase() === connectedLogin.toLowerCase() ? stored : undefined;
}
