import type { UserIdentity } from "@gitcred/client";
import type { GithubUserTokenRow } from "@gitcred/db";
import { noreplyEmail } from "@gitcred/github";

/**
 * The person's commit identity from their connection: GitHub's noreply address (on the host of `apiUrl`,
 * GITHUB_API_URL, so a GHES commit is attributed on GHES), their display name.
 */
export function userIdentity(
  row: Pick<GithubUserTokenRow, "githubUserId" | "githubLogin" | "githubName">,
  apiUrl: string,
): UserIdentity {
  return {
    kind: "user",
    githubUserId: row.githubUserId,
    login: row.githubLogin,
    name: row.githubName ?? row.githubLogin,
    email: noreplyEmail(row.githubUserId, row.githubLogin, apiUrl),
  };
}
