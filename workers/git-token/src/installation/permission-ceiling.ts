import type { InstallationPermissions, PermissionLevel } from "@gitcred/client";
import { ConfigError } from "@gitcred/utils";

/**
 * What the platform's entrypoint may mint when `PERMISSION_CEILING` is not set: push and read code, open
 * pull requests. Never `administration` (or anything else) unless an operator configures it, so a
 * compromised caller cannot mint a token that deletes a repository or rewrites its settings.
 */
export const DEFAULT_PERMISSION_CEILING: Readonly<InstallationPermissions> = Object.freeze({
  contents: "write",
  metadata: "read",
  pull_requests: "write",
});

const RANK: Record<PermissionLevel, number> = { read: 1, write: 2, admin: 3 };
const NAME = /^[a-z][a-z_]{0,49}$/;

/**
 * Parses `PERMISSION_CEILING` (JSON, e.g. `{"contents":"write","metadata":"read"}`); empty means the
 * default. A malformed value is a ConfigError naming the setting, never silently "no ceiling".
 */
export function parsePermissionCeiling(raw: string | undefined): Readonly<InstallationPermissions> {
  const text = raw?.trim();
  if (text === undefined || text === "") return DEFAULT_PERMISSION_CEILING;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ConfigError("PERMISSION_CEILING must be a JSON object of permission name to read|write|admin");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ConfigError("PERMISSION_CEILING must be a JSON object of permission name to read|write|admin");
  }
  const ceiling: InstallationPermissions = {};
  for (const [name, level] of Object.entries(value)) {
    if (!NAME.test(name) || (level !== "read" && level !== "write" && level !== "admin")) {
      throw new ConfigError("PERMISSION_CEILING must map GitHub App permission names to read|write|admin");
    }
    ceiling[name] = level;
  }
  return Object.freeze(ceiling);
}

/** The permissions asked for above `ceiling` (absent from it, or at a higher level), by name. */
/**
 * Whether any permission asked is above the ceiling (or not in it): `permissionsAboveCeiling` without
 * building the list, for the warm path, which only needs the verdict (P2).
 */
export function exceedsCeiling(
  asked: InstallationPermissions,
  ceiling: Readonly<InstallationPermissions>,
): boolean {
  for (const name in asked) {
    if (!Object.hasOwn(asked, name)) continue;
    const level = asked[name];
    const allowed = Object.hasOwn(ceiling, name) ? ceiling[name] : undefined;
    if (level === undefined || allowed === undefined || RANK[level] > RANK[allowed]) return true;
  }
  return false;
}

export function permissionsAboveCeiling(
  asked: InstallationPermissions,
  ceiling: Readonly<InstallationPermissions>,
): string[] {
  return Object.entries(asked)
    .filter(([name, level]) => {
      const allowed = Object.hasOwn(ceiling, name) ? ceiling[name] : undefined;
      return allowed === undefined || RANK[level] > RANK[allowed];
    })
    .map(([name]) => name)
    .sort();
}
