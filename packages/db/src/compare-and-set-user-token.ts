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

/**
 * The optimistic lock on a user's token row: writes only if the row still has `expectedVersion`, and
 * bumps the version. Returns the new row, or `undefined` when someone else wrote first (the caller must
 * re-read and decide; it must never overwrite a token it has not seen).
 */
export async function compareAndSetUserToken(
  db: Database,
  userId: string,
  expectedVersion: number,
  patch: UserTokenPatch,
): Promise<GithubUserTokenRow | undefined> {
  const [row] = await db
    .update(githubUserTokens)
    .set({ ...patch, version: sql`${githubUserTokens.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(githubUserTokens.userId, userId), eq(githubUserTokens.version, expectedVersion)))
    .returning();
  return row;
}
