/** How long the settings page mentions a connection made through a device code. */
export const RECENT_DEVICE_CONNECTION_SECONDS = 7 * 24 * 60 * 60;

/** What the settings page shows of a recent device-code connection. */
export interface RecentDeviceConnection {
  login: string;
  connectedAt: string;
}

/** KV key (in PAGE_SESSIONS) of a person's most recent device-code connection; erasure deletes it. */
export const deviceConnectionKey = (userId: string) => `device-connection:v1:${userId}`;

/**
 * Remembers that `login` was connected to `userId` through a device code. A user code can be sent to
 * someone else (RFC 8628 §5.4, remote phishing): whoever enters it connects *their* GitHub account to
 * this platform account without ever seeing our page, so the page says so afterwards.
 */
export async function recordDeviceConnection(
  kv: KVNamespace,
  userId: string,
  login: string,
  now: number,
): Promise<void> {
  const value: RecentDeviceConnection = { login, connectedAt: new Date(now).toISOString() };
  await kv.put(deviceConnectionKey(userId), JSON.stringify(value), {
    expirationTtl: RECENT_DEVICE_CONNECTION_SECONDS,
  });
}
