import { eq } from "drizzle-orm";
import type { Database } from "./open-database.ts";
import { type GithubUserTokenRow, githubUserTokens } from "./schema.ts";

/** The connection of a GitHub account (unique: one account belongs to one platform user), if any. */
export async function readUserTokenByGithubUser(
  db: Database,
  githubUserId: number,
): Promise<GithubUserTokenRow | undefined> {
  const [row] = await db
    .select()
    .from(githubUserTokens)
    .where(eq(githubUserTokens.githubUserId, githubUserId))
    .limit(1);
  return row;
}
