/**
 * Installation changes shared by the control API (`/_sim/installations`) and the install pages
 * (`/apps/{slug}/installations/new`): the record of a new installation, changes of its repository
 * selection, and the webhooks GitHub sends for them (`installation`, `installation_repositories`).
 */
import { bases, type SimContext } from "./context.ts";
import type { SimStore } from "./state.ts";
import type { Permissions, SimAccount, SimApp, SimInstallation, SimRepo } from "./types.ts";
import { deliver, installationPayload, installationRepositoriesPayload } from "./webhooks.ts";

/** What a new installation is made of; permissions and events default to the App's. */
export interface InstallationInit {
  id: number;
  repositorySelection: "all" | "selected";
  repositoryIds: number[];
  permissions?: Permissions | undefined;
  events?: string[] | undefined;
  suspended?: boolean | undefined;
  /** Kept when a seed replaces an installation of the same App and account. */
  createdAt?: string | undefined;
}

/** The record of an installation of `app` on `account`: one shape for seeds and the install page. */
export function installationRecord(
  store: SimStore,
  app: SimApp,
  account: SimAccount,
  init: InstallationInit,
): SimInstallation {
  const now = store.clock.iso();
  return {
    id: init.id,
    appId: app.id,
    accountId: account.id,
    repositorySelection: init.repositorySelection,
    repositoryIds: [...init.repositoryIds],
    permissions: init.permissions ?? { ...app.permissions },
    events: init.events ?? [...app.events],
    suspendedAt: init.suspended === true ? now : null,
    suspendedById: null,
    createdAt: init.createdAt ?? now,
    updatedAt: now,
  };
}

/**
 * The webhook `sender` when a seed names none: the named account, else an org admin, else the account
 * itself (GitHub always names a person).
 */
export function webhookSender(store: SimStore, login: string | undefined, fallback: SimAccount): SimAccount {
  const who = login ? store.accountByLogin(login) : undefined;
  if (who) return who;
  if (fallback.type === "Organization") {
    const admin = Object.entries(fallback.members ?? {}).find(([, r]) => r === "admin")?.[0];
    const a = admin ? store.accountByLogin(admin) : undefined;
    if (a) return a;
  }
  return fallback;
}

/** Sends an `installation` webhook for `i` (the seeds and the install page send the same one). */
export function sendInstallationEvent(
  c: SimContext,
  action: "created" | "deleted" | "suspend" | "unsuspend",
  i: SimInstallation,
  who: SimAccount,
): void {
  const store = c.env.store;
  const app = store.apps.get(i.appId);
  if (app)
    deliver(
      store,
      app,
      "installation",
      installationPayload(store, bases(c), action, i, who),
      c.env.background,
    );
}

/** Sends `installation_repositories` `added` and/or `removed` for a change of `i`'s repositories. */
export function sendRepositoryEvents(
  c: SimContext,
  i: SimInstallation,
  added: SimRepo[],
  removed: SimRepo[],
  who: SimAccount,
): void {
  const store = c.env.store;
  const app = store.apps.get(i.appId);
  if (!app) return;
  const b = bases(c);
  if (added.length)
    deliver(
      store,
      app,
      "installation_repositories",
      installationRepositoriesPayload(store, b, "added", i, added, [], who),
      c.env.background,
    );
  if (removed.length)
    deliver(
      store,
      app,
      "installation_repositories",
      installationRepositoriesPayload(store, b, "removed", i, [], removed, who),
      c.env.background,
    );
}

/**
 * Sets an installation's repository selection as the install page's "Configure" does, and sends what
 * GitHub sends: `added` for repositories it now reaches, `removed` for those it no longer reaches
 * (switching to "All repositories" adds the rest).
 */
export function changeRepositorySelection(
  c: SimContext,
  i: SimInstallation,
  selection: "all" | "selected",
  repositoryIds: number[],
  who: SimAccount,
): SimInstallation {
  const store = c.env.store;
  const before = store.installationRepos(i);
  const updated = store.installations.set(i.id, {
    ...i,
    repositorySelection: selection,
    repositoryIds: selection === "all" ? [] : [...repositoryIds],
    updatedAt: store.clock.iso(),
  });
  const after = store.installationRepos(updated);
  const had = new Set(before.map((r) => r.id));
  const has = new Set(after.map((r) => r.id));
  sendRepositoryEvents(
    c,
    updated,
    after.filter((r) => !had.has(r.id)),
    before.filter((r) => !has.has(r.id)),
    who,
  );
  return updated;
}
