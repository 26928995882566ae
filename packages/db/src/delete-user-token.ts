import { eq } from "drizzle-orm";
import type { Database } from "./open-database.ts";
import { type GithubUserTokenRow, githubUserTokens } from "./schema.ts";

/**
 * Deletes the person's connection whatever its version (a disconnect wins over a refresh in flight,
 * whose versioned write then finds no row). Returns the deleted row, or undefined when there was none.
 */
export async function deleteUserToken(db: Database, userId: string): Promise<GithubUserTokenRow | undefined> {
  const [row] = await db.delete(githubUserTokens).where(eq(githubUserTokens.userId, userId)).returning();
  return row;
}
