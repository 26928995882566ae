import { sql } from "drizzle-orm";
import type { Database } from "./open-database.ts";
import { type GithubUserTokenRow, githubUserTokens } from "./schema.ts";

export type NewUserConnection = Pick<
  GithubUserTokenRow,
  | "userId"
  | "connectionId"
  | "githubUserId"
  | "githubLogin"
  | "githubName"
  | "accessTokenEnc"
  | "accessExpiresAt"
  | "refreshTokenEnc"
  | "refreshExpiresAt"
>;

export type UpsertUserConnectionResult =
  | { ok: true; row: GithubUserTokenRow }
  | { ok: false; reason: "account_in_use" };

function isGithubUserIdConflict(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const { code, constraint } = current as { code?: unknown; constraint?: unknown };
    if (code === "23505" && (constraint === undefined || String(constraint).includes("github_user_id"))) {
      return true;
    }
    current = current.cause;
  }
  return false;
}

/**
 * Stores a (re)connection: inserts the person's row or replaces every token field of it, always with a
 * new `connection_id`, status `active`, `version` + 1 and a fresh `connected_at`. The unique
 * `github_user_id` makes "this GitHub account already belongs to another user" one atomic check:
 * it comes back as `account_in_use` instead of an error.
 */
export async function upsertUserConnection(
  db: Database,
  connection: NewUserConnection,
): Promise<UpsertUserConnectionResult> {
  try {
    const [row] = await db
      .insert(githubUserTokens)
      .values({ ...connection, status: "active" })
      .onConflictDoUpdate({
        target: githubUserTokens.userId,
        set: {
          connectionId: connection.connectionId,
          githubUserId: connection.githubUserId,
          githubLogin: connection.githubLogin,
          githubName: connection.githubName,
          accessTokenEnc: connection.accessTokenEnc,
          accessExpiresAt: connection.accessExpiresAt,
          refreshTokenEnc: connection.refreshTokenEnc,
          refreshExpiresAt: connection.refreshExpiresAt,
          status: "active",
          version: sql`${githubUserTokens.version} + 1`,
          connectedAt: sql`now()`,
          updatedAt: sql`now()`,
        },
      })
      .returning();
    if (row === undefined) throw new Error("upsert returned no row");
    return { ok: true, row };
  } catch (error) {
    if (isGithubUserIdConflict(error)) return { ok: false, reason: "account_in_use" };
    throw error;
  }
}
