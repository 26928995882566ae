/**
 * A refreshed pair GitHub issued whose Postgres write is not confirmed yet, exactly as the row would
 * store it: both tokens are the row's own AES-GCM envelopes (AAD = table, column, user, account), so the
 * journal holds no plaintext and a copied entry decrypts nowhere else. Plain data: Durable Object storage
 * keeps it as is.
 */
export interface PendingRefresh {
  userId: string;
  githubUserId: number;
  /** The connection whose refresh token was spent: the pair belongs to it and to no other. */
  connectionId: string;
  /** The row version the refresh was decided on. */
  fromVersion: number;
  accessTokenEnc: string;
  /** Epoch ms; null for a token without expiry. */
  accessExpiresAt: number | null;
  refreshTokenEnc: string | null;
  refreshExpiresAt: number | null;
}

/**
 * Where the refresher writes a pair ahead of Postgres. GitHub refresh tokens are single use: once GitHub
 * answered, the old pair is spent, so a Postgres write lost to a cut connection would lose the person's
 * connection unless the new pair survives somewhere until the write is confirmed.
 */
export interface RefreshJournal {
  read(): Promise<PendingRefresh | undefined>;
  write(entry: PendingRefresh): Promise<void>;
  clear(): Promise<void>;
}

const KEY = "pending-refresh";

/**
 * The journal in the person's refresher Durable Object storage (one entry at most: the object runs one
 * refresh at a time). Storage writes are confirmed before the object answers, so a pair journaled here
 * outlives a failed Postgres write, an eviction and a restart.
 */
export function durableObjectJournal(
  storage: Pick<DurableObjectStorage, "get" | "put" | "delete">,
): RefreshJournal {
  return {
    read: () => storage.get<PendingRefresh>(KEY),
    write: (entry) => storage.put(KEY, entry),
    clear: async () => {
      await storage.delete(KEY);
    },
  };
}
