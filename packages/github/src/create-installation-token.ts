import { appAuth } from "./app-auth.ts";
import { fromOctokitError } from "./from-octokit-error.ts";
import { readBody, unexpectedShape } from "./read-body.ts";
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

/** The token field of auth-app's serialized cache entry (`token|createdAt|expiresAt|…`). */
function tokenOf(value: string): string {
  return value.split("|", 1)[0] ?? "";
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
  // What this call learnt of each token: from its own mint's answer, or from the store.
  const known = new Map<string, MintedRepository[]>();
  const mintedHere = new Set<string>();
  let shapeError = false;
  const { auth } = appAuth(endpoints, app, {
    onMint: (data) => {
      const token = readBody(data)?.string("token");
      if (token === undefined) {
        shapeError = true;
        return;
      }
      known.set(token, mintedRepositories(data));
      mintedHere.add(token);
    },
    cache: {
      get: async (key) => {
        const entry = await input.store.get(key);
        if (entry === undefined) return "";
        known.set(tokenOf(entry.value), entry.repositories);
        return entry.value;
      },
      set: async (key, value) => {
        const repositories = known.get(tokenOf(value));
        const expiresAt = Date.parse(value.split("|")[2] ?? "");
        if (repositories === undefined || !Number.isFinite(expiresAt) || !input.accept(repositories)) return;
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
    let result = await ask();
    // auth-app shares one mint per key among concurrent callers of the isolate: one that joined
    // another's learnt nothing of it here, and asks again (the store has it now, or mints anew when the
    // other's was refused).
    if (!shapeError && !known.has(result.token)) result = await ask();
    const repositories = known.get(result.token);
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
