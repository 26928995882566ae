import { eq } from "drizzle-orm";
import type { Database } from "./open-database.ts";
import { type GithubUserTokenRow, githubUserTokens } from "./schema.ts";

/** The person's connection row (tokens still encrypted), or undefined when they never connected. */
export async function readUserToken(db: Database, userId: string): Promise<GithubUserTokenRow | undefined> {
  const [row] = await db.select().from(githubUserTokens).where(eq(githubUserTokens.userId, userId)).limit(1);
  return row;
}
