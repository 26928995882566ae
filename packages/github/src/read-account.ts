import type { BodyReader } from "./read-body.ts";
import type { GitHubAccount } from "./types.ts";

/** Reads the fields of a GitHub user object that gitcred uses; undefined when id or login is missing. */
export function readAccount(body: BodyReader | undefined): GitHubAccount | undefined {
  const id = body?.number("id");
  const login = body?.string("login");
  if (id === undefined || login === undefined || !Number.isInteger(id) || id <= 0) return undefined;
  const name = body?.string("name");
  return {
    id,
    login,
    name: name === undefined || name === "" ? null : name,
    type: body?.string("type") ?? "User",
  };
}
