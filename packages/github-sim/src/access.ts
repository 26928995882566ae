/**
 * Who may see and do what: collaborator roles, what a user access token of an App reaches (only what
 * both the person and the App's installation reach), and the narrowing of installation permissions.
 */
import type { SimStore } from "./state.ts";
import type { PermissionLevel, Permissions, RepoRole, SimAccount, SimApp, SimRepo } from "./types.ts";

const LEVEL_RANK: Record<PermissionLevel, number> = { read: 1, write: 2, admin: 3 };

const ROLE_RANK: Record<RepoRole, number> = { read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };

/**
 * The person's role on a repository: owners and org admins are admins; org members get the org's base
 * permission (GitHub's default: read); a collaborator role can raise it.
 */
export function userRole(store: SimStore, user: SimAccount, repo: SimRepo): RepoRole | null {
  if (repo.ownerId === user.id) return "admin";
  const owner = store.accounts.get(repo.ownerId);
  const membership = owner?.type === "Organization" ? owner.members?.[user.login.toLowerCase()] : undefined;
  if (membership === "admin") return "admin";
  const base = membership ? (owner?.defaultRepositoryPermission ?? "read") : "none";
  const collaborator = repo.collaborators[String(user.id)] ?? null;
  const fromBase: RepoRole | null = base === "none" ? null : base;
  if (!fromBase) return collaborator;
  if (!collaborator) return fromBase;
  return ROLE_RANK[collaborator] >= ROLE_RANK[fromBase] ? collaborator : fromBase;
}

/** Whether the person belongs to the organization (any role). */
export function isOrgMember(org: SimAccount, user: SimAccount): boolean {
  return org.members?.[user.login.toLowerCase()] !== undefined;
}

/**
 * What a user access token of `app` gets on `repo`: null when GitHub answers 404 (private repo the
 * person cannot see, or the App is not installed on it), else the person's role (null role = public read).
 */
export function userTokenAccess(
  store: SimStore,
  app: SimApp,
  user: SimAccount,
  repo: SimRepo,
): { role: RepoRole | null } | null {
  const role = userRole(store, user, repo);
  if (!repo.private) {
    // Public repositories are readable by anyone; writing needs the App installed there too.
    const installed = store.installationForRepo(app.id, repo) !== undefined;
    return { role: installed ? role : role === null ? null : "read" };
  }
  if (role === null) return null;
  const installation = store.installationForRepo(app.id, repo);
  if (!installation || installation.suspendedAt) return null;
  return { role };
}

/** Whether an installation token (with its narrowed repositories) reaches `repo`. */
export function installationTokenReaches(
  store: SimStore,
  installationId: number,
  tokenRepoIds: number[] | null,
  repo: SimRepo,
): boolean {
  const installation = store.installations.get(installationId);
  if (!installation) return false;
  const reachable = store.installationRepos(installation).some((r) => r.id === repo.id);
  if (!reachable) return false;
  return tokenRepoIds === null || tokenRepoIds.includes(repo.id);
}

/** Outcome of narrowing requested permissions against an installation's. */
export type NarrowResult = { ok: true; permissions: Permissions } | { ok: false };

/**
 * Requested permissions may only narrow the installation's: every name must be granted to the
 * installation at the same or a higher level. No request keeps the installation's permissions.
 */
export function narrowPermissions(granted: Permissions, requested: unknown): NarrowResult {
  if (requested === undefined || requested === null) return { ok: true, permissions: { ...granted } };
  if (typeof requested !== "object" || Array.isArray(requested)) return { ok: false };
  const out: Permissions = {};
  for (const [name, level] of Object.entries(requested as Record<string, unknown>)) {
    if (level !== "read" && level !== "write" && level !== "admin") return { ok: false };
    const wanted: PermissionLevel = level;
    const have = granted[name];
    if (!have || LEVEL_RANK[wanted] > LEVEL_RANK[have]) return { ok: false };
    out[name] = wanted;
  }
  return { ok: true, permissions: out };
}
