import { appAuth } from "./app-auth.ts";
import { fromOctokitError } from "./from-octokit-error.ts";
import {
  forgetMintedRepositories,
  mintedRepositoriesOf,
  rememberMintedRepositories,
} from "./minted-repositories.ts";
import { readBody, unexpectedShape } from "./read-body.ts";
import {
  fromStoredInstallationToken,
  installationTokenStoreKey,
  tokenOfStoredValue,
} from "./stored-installation-token.ts";
import type {
  AppCredentials,
  GitHubEndpoints,
  GitHubResult,
  InstallationAccessToken,
  InstallationTokenStore,
  MintedRepository,
  PermissionLevel,
} from "./types.ts";

const LEVELS = new Set<string>(["read", "write", "admin"]);

function mintedRepositories(data: unknown): MintedRepository[] {
  const repositories: MintedRepository[] = [];
  for (const repo of readBody(data)?.array("repositories") ?? []) {
    const id = repo.number("id");
    const fullName = repo.string("full_name");
    const ownerId = repo.object("owner")?.number("id");
    if (id !== undefined && fullName !== undefined)
      repositories.push({ id, fullName, ...(ownerId === undefined ? {} : { ownerId }) });
  }
  return repositories;
}

function grantedPermissions(granted: unknown): Record<string, PermissionLevel> {
  const permissions: Record<string, PermissionLevel> = {};
  if (typeof granted === "object" && granted !== null) {
    for (const [name, level] of Object.entries(granted)) {
      if (typeof level === "string" && LEVELS.has(level)) permissions[name] = level as PermissionLevel;
    }
  }
  return permissions;
}

/**
 * An installation token narrowed to the named repositories (by name, without owner) and permissions,
 * through `@octokit/auth-app` (`POST /app/installations/{id}/access_tokens` with its JWT and clock-skew
 * retry). Narrowing is the point: an agent working on one repository gets a token that works for that
 * one only. `store` is auth-app's cache (ours: encrypted at rest); an entry is written only when
 * `accept` takes the repositories GitHub minted for, so a token for another repository than asked
 * (GitHub resolves names inside the installation's *current* account) is never cached. A 422 means a
 * repository is not in the installation or a permission was not granted to it; 403 with "suspended"
 * means suspended. The token is a secret: callers encrypt it before storing it anywhere.
 */
export async function createInstallationToken(
  endpoints: GitHubEndpoints,
  app: AppCredentials,
  input: {
    installationId: number;
    repositories: string[];
    permissions: Record<string, PermissionLevel>;
    store: InstallationTokenStore;
    accept(repositories: MintedRepository[]): boolean;
  },
): Promise<GitHubResult<{ installationToken: InstallationAccessToken }>> {
  const key = installationTokenStoreKey(input);
  // A warm ask is answered from the store without building auth-app (its instance, its request defaults
  // and its cache round trip were most of a warm call: P2).
  const stored = fromStoredInstallationToken(await input.store.get(key), input);
  if (stored !== undefined) return { ok: true, installationToken: stored };
  // The answers of the mints this call made itself (its own, whatever others may forget).
  const mintedHere = new Map<string, MintedRepository[]>();
  let shapeError = false;
  const { auth } = appAuth(endpoints, app, {
    onMint: (data) => {
      const body = readBody(data);
      const token = body?.string("token");
      const expiresAt = Date.parse(body?.string("expires_at") ?? "");
      if (token === undefined || !Number.isFinite(expiresAt)) {
        shapeError = true;
        return;
      }
      const repositories = mintedRepositories(data);
      rememberMintedRepositories(token, repositories, expiresAt);
      mintedHere.set(token, repositories);
    },
    // Our key, not auth-app's (which this instance only ever computes for this one ask).
    cache: {
      get: async () => {
        const entry = await input.store.get(key);
        if (entry === undefined) return "";
        rememberMintedRepositories(tokenOfStoredValue(entry.value), entry.repositories, entry.expiresAt);
        return entry.value;
      },
      set: async (_authAppKey, value) => {
        const token = tokenOfStoredValue(value);
        const repositories = mintedHere.get(token) ?? mintedRepositoriesOf(token);
        const expiresAt = Date.parse(value.split("|")[2] ?? "");
        if (repositories === undefined || !Number.isFinite(expiresAt)) return;
        if (!input.accept(repositories)) {
          forgetMintedRepositories(token);
          return;
        }
        await input.store.set(key, { value, installationId: input.installationId, expiresAt, repositories });
      },
    },
  });
  const ask = () =>
    auth({
      type: "installation",
      installationId: input.installationId,
      repositoryNames: input.repositories,
      permissions: input.permissions,
    });
  try {
    const known = (token: string) => mintedHere.get(token) ?? mintedRepositoriesOf(token);
    let result = await ask();
    // Joined a mint whose caller refused the token (forgotten, being revoked) or one evicted here since:
    // ask again, which reads the store or mints one of our own.
    if (!shapeError && known(result.token) === undefined) result = await ask();
    const repositories = known(result.token);
    const expiresAt = new Date(result.expiresAt);
    if (
      shapeError ||
      repositories === undefined ||
      result.token === "" ||
      Number.isNaN(expiresAt.getTime())
    ) {
      return unexpectedShape("the installation token request");
    }
    return {
      ok: true,
      installationToken: {
        token: result.token,
        expiresAt,
        permissions: grantedPermissions(result.permissions),
        repositories,
        minted: mintedHere.has(result.token),
      },
    };
  } catch (error) {
    return fromOctokitError(error, endpoints);
  }
}
