import { type BodyReader, parseTime } from "./read-body.ts";
import type { RepoInstallation } from "./types.ts";

/** Reads the fields of a GitHub installation object gitcred uses; undefined when one is missing. */
export function readInstallation(body: BodyReader | undefined): RepoInstallation | undefined {
  const account = body?.object("account");
  const installationId = body?.number("id");
  const accountLogin = account?.string("login");
  const accountId = account?.number("id");
  const selection = body?.string("repository_selection");
  if (
    installationId === undefined ||
    accountLogin === undefined ||
    accountId === undefined ||
    (selection !== "all" && selection !== "selected")
  ) {
    return undefined;
  }
  return {
    installationId,
    accountLogin,
    accountId,
    accountType: account?.string("type") ?? "User",
    repositorySelection: selection,
    suspendedAt: parseTime(body?.string("suspended_at")) ?? null,
  };
}
