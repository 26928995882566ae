import type { InstallationAccessToken, PermissionLevel, StoredInstallationToken } from "./types.ts";

/** What an installation token is asked for: the installation, repositories by name, permissions. */
export interface InstallationTokenAsk {
  installationId: number;
  repositories: string[];
  permissions: Record<string, PermissionLevel>;
}

/**
 * The store key of one ask, in auth-app's shape (`installationId|repository names|permissions`) but with
 * each permission's level spelled out: auth-app writes `admin` and `write` alike (`name!`), so under its
 * own key a token minted for `administration: admin` would be handed to a caller who asked for `write`.
 */
export function installationTokenStoreKey(ask: InstallationTokenAsk): string {
  // Built in one pass (no intermediate arrays): it is computed on every warm App hand-out (P2).
  let permissions = "";
  for (const name of Object.keys(ask.permissions).sort())
    permissions += `${permissions === "" ? "" : ","}${name}=${ask.permissions[name]}`;
  let key = String(ask.installationId);
  const repositories = ask.repositories.join(",");
  if (repositories !== "") key += `|${repositories}`;
  if (permissions !== "") key += `|${permissions}`;
  return key;
}

/** The token field of auth-app's serialized cache entry (`token|createdAt|expiresAt|…`). */
export function tokenOfStoredValue(value: string): string {
  const end = value.indexOf("|");
  return end === -1 ? value : value.slice(0, end);
}

/**
 * A stored entry as the answer to the ask it is stored under: auth-app's own hit answers the same, the
 * permissions asked, which the key pins exactly. Undefined for an entry without a token.
 */
export function fromStoredInstallationToken(
  stored: StoredInstallationToken | undefined,
  ask: Pick<InstallationTokenAsk, "permissions">,
): InstallationAccessToken | undefined {
  const token = stored === undefined ? "" : tokenOfStoredValue(stored.value);
  if (stored === undefined || token === "") return undefined;
  return {
    token,
    expiresAt: new Date(stored.expiresAt),
    permissions: { ...ask.permissions },
    repositories: stored.repositories,
    minted: false,
  };
}
