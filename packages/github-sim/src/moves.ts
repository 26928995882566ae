/**
 * Renames and transfers as GitHub does them. A renamed or transferred repository keeps its id, and its
 * old `owner/name` keeps answering the API with a redirect to `/repositories/{id}` until a repository
 * takes that name again ("Renaming a repository", "Transferring a repository"). A renamed user or
 * organisation keeps its id and its installations; API requests with the old login answer 404 and the
 * login is free for anyone to take ("Renaming an organization": "API requests that use the old
 * organization name will return a 404 error").
 */
import type { SimStore } from "./state.ts";
import type { SimAccount, SimRepo } from "./types.ts";

/** GitHub's rules for a repository name: letters, digits, `.`, `-`, `_`, at most 100. */
const REPO_NAME = /^[A-Za-z0-9._-]{1,100}$/;
/** GitHub's rules for a login: alphanumerics and single hyphens, not at the ends, at most 39. */
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

function redirectKey(ownerId: number, name: string): string {
  return `${ownerId}/${name.toLowerCase()}`;
}

/** A repository now holds `name` on `ownerId`: the old name's redirect there ends. */
function takeName(store: SimStore, ownerId: number, name: string): void {
  store.redirects.delete(redirectKey(ownerId, name));
}

function nameTaken(store: SimStore, ownerId: number, name: string, except: number): boolean {
  const lower = name.toLowerCase();
  const holder = store.repos.find(
    (r) => r.ownerId === ownerId && r.id !== except && r.name.toLowerCase() === lower,
  );
  return holder !== undefined;
}

/**
 * The repository the old API path `owner/name` redirects to: only when no repository holds that name
 * on that account now (a new repository of that name ends the redirect, as on GitHub).
 */
export function movedRepository(store: SimStore, owner: string, name: string): SimRepo | undefined {
  const account = store.accountByLogin(owner);
  if (!account || store.repoByName(owner, name)) return undefined;
  const redirect = store.redirects.get(redirectKey(account.id, name));
  return redirect ? store.repos.get(redirect.repoId) : undefined;
}

/** Records that a repository was created with `name` on `ownerId` (seeds): no redirect survives it. */
export function repositoryCreated(store: SimStore, ownerId: number, name: string): void {
  takeName(store, ownerId, name);
}

/** Renames a repository; the old name redirects. An error message when GitHub would refuse. */
export function renameRepository(store: SimStore, repo: SimRepo, name: string): SimRepo | string {
  if (!REPO_NAME.test(name)) return "name must be 1-100 letters, digits, '.', '-' or '_'";
  if (nameTaken(store, repo.ownerId, name, repo.id)) return "name already exists on this account";
  if (repo.name.toLowerCase() !== name.toLowerCase()) {
    store.redirects.set(redirectKey(repo.ownerId, repo.name), {
      ownerId: repo.ownerId,
      name: repo.name.toLowerCase(),
      repoId: repo.id,
      createdAt: store.clock.iso(),
    });
  }
  takeName(store, repo.ownerId, name);
  return store.repos.set(repo.id, { ...repo, name });
}

/**
 * Transfers a repository to another account. The old `owner/name` redirects; installations on the old
 * account stop reaching it (a `selected` installation drops it), and an `all` installation on the new
 * account reaches it.
 */
export function transferRepository(store: SimStore, repo: SimRepo, to: SimAccount): SimRepo | string {
  if (to.type === "Bot") return "a repository cannot be transferred to a bot";
  if (to.id === repo.ownerId) return "the repository already belongs to this account";
  if (nameTaken(store, to.id, repo.name, repo.id))
    return "the new owner already has a repository of this name";
  store.redirects.set(redirectKey(repo.ownerId, repo.name), {
    ownerId: repo.ownerId,
    name: repo.name.toLowerCase(),
    repoId: repo.id,
    createdAt: store.clock.iso(),
  });
  takeName(store, to.id, repo.name);
  for (const i of store.installations.filter((x) => x.repositoryIds.includes(repo.id))) {
    store.installations.set(i.id, {
      ...i,
      repositoryIds: i.repositoryIds.filter((id) => id !== repo.id),
      updatedAt: store.clock.iso(),
    });
  }
  return store.repos.set(repo.id, { ...repo, ownerId: to.id });
}

/**
 * Renames a user or organisation: same id, same installations, a new login; the old login is free.
 * Organisations key their members by lower-cased login, so a renamed person stays a member.
 */
export function renameAccount(store: SimStore, account: SimAccount, login: string): SimAccount | string {
  if (account.type === "Bot") return "a bot cannot be renamed";
  if (!LOGIN.test(login)) return "login must be 1-39 alphanumerics or single hyphens";
  const holder = store.accountByLogin(login);
  if (holder && holder.id !== account.id) return "login is already taken";
  const before = account.login.toLowerCase();
  const after = login.toLowerCase();
  if (account.type === "User" && before !== after) {
    for (const org of store.accounts.filter((a) => a.members?.[before] !== undefined)) {
      const { [before]: role, ...rest } = org.members ?? {};
      if (role) store.accounts.set(org.id, { ...org, members: { ...rest, [after]: role } });
    }
    if (store.settings.signedInLogin?.toLowerCase() === before)
      store.updateSettings({ signedInLogin: login });
  }
  return store.accounts.set(account.id, { ...(store.accounts.get(account.id) ?? account), login });
}
