/**
 * The webhooks GitHub sends for renames and transfers, shaped as @octokit/openapi-webhooks describes
 * them: `repository` `renamed` (`changes.repository.name.from`) and `transferred`
 * (`changes.owner.from.organization|user`) to Apps subscribed to the `repository` event whose
 * installation reaches the repository, and `installation_target` `renamed` (`changes.login.from`) to
 * every App installed on the renamed account.
 */
import { bases, type SimContext } from "./context.ts";
import type { SimStore } from "./state.ts";
import type { SimAccount, SimInstallation, SimRepo } from "./types.ts";
import { type Bases, repository, simpleUser } from "./views.ts";
import { deliver, organizationOf } from "./webhooks.ts";

/** The `simple-installation` webhook schema: id and node id only. */
function simpleInstallation(i: SimInstallation): Record<string, unknown> {
  return { id: i.id, node_id: btoa(`023:IntegrationInstallation${i.id}`) };
}

/** The webhooks' `repository-webhooks`: a repository view with the fields that schema requires. */
function webhookRepository(store: SimStore, b: Bases, r: SimRepo): Record<string, unknown> {
  const view = repository(store, b, r);
  return {
    ...view,
    homepage: null,
    language: null,
    license: null,
    mirror_url: null,
    has_downloads: true,
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    archived: false,
    disabled: false,
    forks: 0,
    forks_count: 0,
    open_issues: 0,
    open_issues_count: 0,
    watchers: 0,
    watchers_count: 0,
    stargazers_count: 0,
    size: 0,
    default_branch: r.defaultBranch,
    pushed_at: r.createdAt,
    created_at: r.createdAt,
    updated_at: store.clock.iso(),
  };
}

/** The former owner as `changes.owner.from` names it: `organization` or `user`. */
function formerOwner(b: Bases, account: SimAccount): Record<string, unknown> {
  if (account.type === "Organization") {
    const { organization } = organizationOf(b, account) as { organization: Record<string, unknown> };
    return { organization: { ...organization, html_url: `${b.web}/${account.login}` } };
  }
  return { user: simpleUser(b, account) };
}

/**
 * Sends `repository` `renamed` or `transferred` for `repo` (already changed) to each App subscribed to
 * `repository` whose installation reaches it now, or reached it before the change (`before`).
 */
export function sendRepositoryMoved(
  c: SimContext,
  repo: SimRepo,
  change: { action: "renamed"; fromName: string } | { action: "transferred"; from: SimAccount },
  before: SimInstallation[],
  sender: SimAccount,
): void {
  const store = c.env.store;
  const b = bases(c);
  for (const app of store.apps.filter((a) => a.events.includes("repository"))) {
    const installation = store.installationForRepo(app.id, repo) ?? before.find((i) => i.appId === app.id);
    if (!installation) continue;
    const owner = store.account(repo.ownerId);
    const changes =
      change.action === "renamed"
        ? { repository: { name: { from: change.fromName } } }
        : { owner: { from: formerOwner(b, change.from) } };
    const payload = {
      action: change.action,
      changes,
      repository: webhookRepository(store, b, repo),
      ...organizationOf(b, owner),
      installation: simpleInstallation(installation),
      sender: simpleUser(b, sender),
    };
    deliver(store, app, "repository", payload, c.env.background);
  }
}

/** Sends `installation_target` `renamed` for each installation on `account` (already renamed). */
export function sendInstallationTargetRenamed(
  c: SimContext,
  account: SimAccount,
  fromLogin: string,
  sender: SimAccount,
): void {
  const store = c.env.store;
  const b = bases(c);
  for (const installation of store.installations.filter((i) => i.accountId === account.id)) {
    const app = store.apps.get(installation.appId);
    if (!app) continue;
    const { organization } = organizationOf(b, account) as { organization?: Record<string, unknown> };
    const payload = {
      action: "renamed",
      account: {
        ...simpleUser(b, account),
        ...(organization ? { description: null, website_url: null } : {}),
        name: account.name ?? account.login,
        created_at: account.createdAt,
        updated_at: store.clock.iso(),
      },
      changes: { login: { from: fromLogin } },
      target_type: account.type === "Organization" ? "Organization" : "User",
      installation: simpleInstallation(installation),
      ...(organization ? { organization } : {}),
      sender: simpleUser(b, sender),
    };
    deliver(store, app, "installation_target", payload, c.env.background);
  }
}
