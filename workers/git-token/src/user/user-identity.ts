import type { UserIdentity } from "@gitcred/client";
import type { GithubUserTokenRow } from "@gitcred/db";
import { noreplyEmail } from "@gitcred/github";

/** The person's commit identity from their connection: GitHub's noreply address, their display name. */
export function userIdentity(
  row: Pick<GithubUserTokenRow, "githubUserId" | "githubLogin" | "githubName">,
): UserIdentity {
  return {
    kind: "user",
    githubUserId: row.githubUserId,
    login: row.githubLogin,
    name: row.githubName ?? row.githubLogin,
    email: noreplyEmail(row.githubUserId, row.githubLogin),
  };
}
