/**
 * GitHub-shaped JSON for the simulator's records, following @octokit/openapi's schemas
 * (simple-user, public-user, private-user, full-repository, repository, installation, integration).
 * `api` and `web` are the bases GitHub would use (api.github.com, github.com): the simulator's origin.
 */
import type { SimStore } from "./state.ts";
import type { Permissions, RepoRole, SimAccount, SimApp, SimInstallation, SimRepo } from "./types.ts";

/** Where the simulator is reached: its own origin (`/api/v3` after it for GHES's API). */
export interface Bases {
  api: string;
  web: string;
  /** App pages: `<web>/apps` on github.com, `<web>/github-apps` on GHES. */
  apps: string;
}

function nodeId(kind: string, id: number): string {
  return btoa(`0${kind.length}:${kind}${id}`).replace(/=+$/, "");
}

/** The `simple-user` schema. */
export function simpleUser(b: Bases, a: SimAccount): Record<string, unknown> {
  // GitHub percent-encodes bot logins in URLs (`dependabot%5Bbot%5D`).
  const u = `${b.api}/users/${encodeURIComponent(a.login)}`;
  return {
    login: a.login,
    id: a.id,
    node_id: nodeId(a.type === "Organization" ? "Organization" : a.type === "Bot" ? "Bot" : "User", a.id),
    avatar_url: `${b.web}/avatars/u/${a.id}?v=4`,
    gravatar_id: "",
    url: u,
    html_url: a.type === "Bot" ? `${b.apps}/${a.login.replace(/\[bot\]$/, "")}` : `${b.web}/${a.login}`,
    followers_url: `${u}/followers`,
    following_url: `${u}/following{/other_user}`,
    gists_url: `${u}/gists{/gist_id}`,
    starred_url: `${u}/starred{/owner}{/repo}`,
    subscriptions_url: `${u}/subscriptions`,
    organizations_url: `${u}/orgs`,
    repos_url: `${u}/repos`,
    events_url: `${u}/events{/privacy}`,
    received_events_url: `${u}/received_events`,
    type: a.type,
    user_view_type: "public",
    site_admin: false,
  };
}

/** The `public-user` schema (`GET /users/{username}`). */
export function publicUser(store: SimStore, b: Bases, a: SimAccount): Record<string, unknown> {
  return {
    ...simpleUser(b, a),
    name: a.name,
    company: null,
    blog: "",
    location: null,
    email: a.email,
    hireable: null,
    bio: null,
    twitter_username: null,
    public_repos: store.repos.filter((r) => r.ownerId === a.id && !r.private).length,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: a.createdAt,
    updated_at: a.createdAt,
  };
}

/** The `private-user` schema (`GET /user` for the person themself). */
export function privateUser(store: SimStore, b: Bases, a: SimAccount): Record<string, unknown> {
  const owned = store.repos.filter((r) => r.ownerId === a.id && r.private).length;
  return {
    ...publicUser(store, b, a),
    user_view_type: "private",
    notification_email: a.email,
    private_gists: 0,
    total_private_repos: owned,
    owned_private_repos: owned,
    disk_usage: 0,
    collaborators: 0,
    two_factor_authentication: true,
    plan: { name: "free", space: 976562499, collaborators: 0, private_repos: 10000 },
  };
}

/** The `permissions` object of a repository for a role (null role: read access to a public repo). */
export function rolePermissions(role: RepoRole | null): {
  admin: boolean;
  maintain: boolean;
  push: boolean;
  triage: boolean;
  pull: boolean;
} {
  const rank = { read: 1, triage: 2, write: 3, maintain: 4, admin: 5 }[role ?? "read"];
  return { admin: rank >= 5, maintain: rank >= 4, push: rank >= 3, triage: rank >= 2, pull: rank >= 1 };
}

/** Repository `permissions` for an installation token's permission set. */
export function installationRepoPermissions(p: Permissions): ReturnType<typeof rolePermissions> {
  const admin = p.administration === "write";
  const push = p.contents === "write";
  return {
    admin,
    maintain: admin,
    push,
    triage: push || p.issues === "write" || p.pull_requests === "write",
    pull: true,
  };
}

/** The fields `repository` and `full-repository` share. */
function repoBase(store: SimStore, b: Bases, r: SimRepo): Record<string, unknown> {
  const owner = store.account(r.ownerId);
  const full = `${owner.login}/${r.name}`;
  const u = `${b.api}/repos/${full}`;
  const host = new URL(b.web).host;
  return {
    id: r.id,
    node_id: nodeId("Repository", r.id),
    name: r.name,
    full_name: full,
    private: r.private,
    owner: simpleUser(b, owner),
    html_url: `${b.web}/${full}`,
    description: r.description,
    fork: false,
    url: u,
    archive_url: `${u}/{archive_format}{/ref}`,
    assignees_url: `${u}/assignees{/user}`,
    blobs_url: `${u}/git/blobs{/sha}`,
    branches_url: `${u}/branches{/branch}`,
    collaborators_url: `${u}/collaborators{/collaborator}`,
    comments_url: `${u}/comments{/number}`,
    commits_url: `${u}/commits{/sha}`,
    compare_url: `${u}/compare/{base}...{head}`,
    contents_url: `${u}/contents/{+path}`,
    contributors_url: `${u}/contributors`,
    deployments_url: `${u}/deployments`,
    downloads_url: `${u}/downloads`,
    events_url: `${u}/events`,
    forks_url: `${u}/forks`,
    git_commits_url: `${u}/git/commits{/sha}`,
    git_refs_url: `${u}/git/refs{/sha}`,
    git_tags_url: `${u}/git/tags{/sha}`,
    git_url: `git://${host}/${full}.git`,
    issue_comment_url: `${u}/issues/comments{/number}`,
    issue_events_url: `${u}/issues/events{/number}`,
    issues_url: `${u}/issues{/number}`,
    keys_url: `${u}/keys{/key_id}`,
    labels_url: `${u}/labels{/name}`,
    languages_url: `${u}/languages`,
    merges_url: `${u}/merges`,
    milestones_url: `${u}/milestones{/number}`,
    notifications_url: `${u}/notifications{?since,all,participating}`,
    pulls_url: `${u}/pulls{/number}`,
    releases_url: `${u}/releases{/id}`,
    ssh_url: `git@${host}:${full}.git`,
    stargazers_url: `${u}/stargazers`,
    statuses_url: `${u}/statuses/{sha}`,
    subscribers_url: `${u}/subscribers`,
    subscription_url: `${u}/subscription`,
    tags_url: `${u}/tags`,
    teams_url: `${u}/teams`,
    trees_url: `${u}/git/trees{/sha}`,
    clone_url: `${b.web}/${full}.git`,
    mirror_url: null,
    hooks_url: `${u}/hooks`,
    svn_url: `${b.web}/${full}`,
    homepage: null,
    language: null,
    forks_count: 0,
    stargazers_count: 0,
    watchers_count: 0,
    size: 0,
    default_branch: r.defaultBranch,
    open_issues_count: 0,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: r.private ? "private" : "public",
    pushed_at: r.createdAt,
    created_at: r.createdAt,
    updated_at: r.createdAt,
    allow_forking: true,
    web_commit_signoff_required: false,
    license: null,
    forks: 0,
    open_issues: 0,
    watchers: 0,
  };
}

/** The `repository` schema (lists, installation token responses). */
export function repository(
  store: SimStore,
  b: Bases,
  r: SimRepo,
  permissions?: ReturnType<typeof rolePermissions>,
): Record<string, unknown> {
  return { ...repoBase(store, b, r), ...(permissions ? { permissions } : {}) };
}

/** The `full-repository` schema (`GET /repos/{owner}/{repo}`). */
export function fullRepository(
  store: SimStore,
  b: Bases,
  r: SimRepo,
  permissions: ReturnType<typeof rolePermissions> | null,
): Record<string, unknown> {
  const owner = store.account(r.ownerId);
  return {
    ...repoBase(store, b, r),
    ...(permissions ? { permissions } : {}),
    ...(owner.type === "Organization" ? { organization: simpleUser(b, owner) } : {}),
    temp_clone_token: permissions?.pull && r.private ? "" : null,
    allow_squash_merge: true,
    allow_merge_commit: true,
    allow_rebase_merge: true,
    allow_auto_merge: false,
    delete_branch_on_merge: false,
    allow_update_branch: false,
    use_squash_pr_title_as_default: false,
    squash_merge_commit_title: "COMMIT_OR_PR_TITLE",
    squash_merge_commit_message: "COMMIT_MESSAGES",
    merge_commit_title: "MERGE_MESSAGE",
    merge_commit_message: "PR_TITLE",
    network_count: 0,
    subscribers_count: 0,
  };
}

/** The `installation` schema. */
export function installation(store: SimStore, b: Bases, i: SimInstallation): Record<string, unknown> {
  const account = store.account(i.accountId);
  const app = store.apps.get(i.appId);
  const suspendedBy = i.suspendedById === null ? undefined : store.accounts.get(i.suspendedById);
  return {
    id: i.id,
    client_id: app?.clientId,
    account: simpleUser(b, account),
    repository_selection: i.repositorySelection,
    access_tokens_url: `${b.api}/app/installations/${i.id}/access_tokens`,
    repositories_url: `${b.api}/installation/repositories`,
    html_url:
      account.type === "Organization"
        ? `${b.web}/organizations/${account.login}/settings/installations/${i.id}`
        : `${b.web}/settings/installations/${i.id}`,
    app_id: i.appId,
    app_slug: app?.slug ?? "",
    target_id: account.id,
    target_type: account.type === "Organization" ? "Organization" : "User",
    permissions: i.permissions,
    events: i.events,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: suspendedBy ? simpleUser(b, suspendedBy) : null,
    suspended_at: i.suspendedAt,
  };
}

/** The `integration` schema (`GET /app`). */
export function integration(store: SimStore, b: Bases, app: SimApp): Record<string, unknown> {
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId("Integration", app.id),
    client_id: app.clientId,
    owner: simpleUser(b, store.account(app.ownerId)),
    name: app.name,
    description: app.description,
    external_url: `${b.apps}/${app.slug}`,
    html_url: `${b.apps}/${app.slug}`,
    created_at: app.createdAt,
    updated_at: app.createdAt,
    permissions: app.permissions,
    events: app.events,
    installations_count: store.installations.filter((i) => i.appId === app.id).length,
  };
}
