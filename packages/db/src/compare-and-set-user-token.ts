import { and, eq, sql } from "drizzle-orm";
import type { Database } from "./open-database.ts";
import { type GithubUserTokenRow, githubUserTokens } from "./schema.ts";

export type UserTokenPatch = Partial<
  Pick<
    GithubUserTokenRow,
    | "accessTokenEnc"
    | "accessExpiresAt"
    | "refreshTokenEnc"
    | "refreshExpiresAt"
    | "status"
    | "githubLogin"
    | "githubName"
  >
>;

/** The row a write was decided on: its connection and its version. */
export interface UserTokenRowVersion {
  connectionId: string;
  version: number;
}

/**
 * The optimistic lock on a user's token row: writes only if the row is still the connection and the
 * version the caller decided on, and bumps the version. Returns the new row, or `undefined` when
 * someone else wrote first (the caller must re-read and decide; it must never overwrite a token it has
 * not seen). The connection is part of the lock because a disconnect deletes the row and a new connect
 * inserts one at version 1 again: by version alone, a write meant for the old connection (a journaled
 * refresh, a marking) landed on the new one.
 */
export async function compareAndSetUserToken(
  db: Database,
  userId: string,
  expected: UserTokenRowVersion,
  patch: UserTokenPatch,
): Promise<GithubUserTokenRow | undefined> {
  const [row] = await db
    .update(githubUserTokens)
    .set({ ...patch, version: sql`${githubUserTokens.version} + 1`, updatedAt: sql`now()` })
    .where(
      and(
        eq(githubUserTokens.userId, userId),
        eq(githubUserTokens.connectionId, expected.connectionId),
        eq(githubUserTokens.version, expected.version),
      ),
    )
    .returning();
  return row;
}
