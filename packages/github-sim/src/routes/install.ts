/**
 * The App installation flow on "github.com": `GET /apps/{slug}/installations/new` (choose an account
 * and its repositories), `GET .../new/permissions?target_id=` (one account, GitHub's second step) and
 * `POST .../new` (install or configure). Afterwards the person goes to the App's setup URL with
 * `installation_id`, `setup_action` (`install` / `update`) and the carried `state`, as GitHub does.
 */
import type { Hono } from "hono";
import type { SimContext, SimEnv } from "../context.ts";
import { type InstallTarget, installedPage, installPage, installPath } from "../install-pages.ts";
import { changeRepositorySelection, installationRecord, sendInstallationEvent } from "../installations.ts";
import { errorPage, signInPage } from "../pages.ts";
import type { SimStore } from "../state.ts";
import type { SimAccount, SimApp, SimInstallation } from "../types.ts";

/** Parameters of the install URL that travel through the sign-in form and the install forms. */
const CARRIED = ["state"] as const;

function appBySlug(store: SimStore, slug: string): SimApp | undefined {
  const lower = slug.toLowerCase();
  return store.apps.find((a) => a.slug.toLowerCase() === lower);
}

function signedIn(store: SimStore): SimAccount | undefined {
  const login = store.settings.signedInLogin;
  const who = login ? store.accountByLogin(login) : undefined;
  return who?.type === "User" ? who : undefined;
}

function carried(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of CARRIED) {
    const v = params.get(k);
    if (v !== null) out[k] = v;
  }
  return out;
}

/**
 * Accounts the person may install on: themselves and organizations they administer (GitHub offers org
 * members no install; only owners can install there).
 */
function targets(store: SimStore, app: SimApp, user: SimAccount): InstallTarget[] {
  const accounts = [
    user,
    ...store.accounts.filter(
      (a) => a.type === "Organization" && a.members?.[user.login.toLowerCase()] === "admin",
    ),
  ];
  return accounts.map((account) => ({
    account,
    repos: store.repos.filter((r) => r.ownerId === account.id),
    installation: store.installations.find((i) => i.appId === app.id && i.accountId === account.id),
  }));
}

/** The target named by `targetId`, or undefined when the person may not install there (GitHub: 404). */
function targetById(
  store: SimStore,
  app: SimApp,
  user: SimAccount,
  targetId: string | null,
): InstallTarget | undefined {
  return targets(store, app, user).find((t) => String(t.account.id) === targetId);
}

function notFoundPage(): Response {
  return errorPage("Page not found", "This is not the web page you are looking for.", 404);
}

function signIn(store: SimStore, app: SimApp, params: Record<string, string>): Response {
  const people = store.accounts.filter((a) => a.type === "User");
  return signInPage(installPath(app, store.flavor), people, params);
}

/** Where the person goes after installing or configuring: the setup URL, or the simulator's page. */
function afterInstall(
  app: SimApp,
  account: SimAccount,
  i: SimInstallation,
  action: "install" | "update",
  state: string | null,
): Response {
  if (app.setupUrl && (action === "install" || app.setupOnUpdate)) {
    const url = new URL(app.setupUrl);
    url.searchParams.set("installation_id", String(i.id));
    url.searchParams.set("setup_action", action);
    if (state !== null) url.searchParams.set("state", state);
    return new Response(null, { status: 302, headers: { location: url.toString() } });
  }
  return installedPage(app, account, i, action);
}

/** The chosen repository selection of a posted form, or an error page (nothing is changed then). */
function chosenRepositories(
  form: URLSearchParams,
  target: InstallTarget,
): { selection: "all" | "selected"; ids: number[] } | Response {
  const selection = form.get("repository_selection") === "selected" ? "selected" : "all";
  if (selection === "all") return { selection, ids: [] };
  const own = new Set(target.repos.map((r) => r.id));
  const ids = [...new Set([...form.getAll("repository_ids"), ...form.getAll("repository_ids[]")])].map(
    Number,
  );
  if (ids.length === 0) return errorPage("Choose repositories", "Select at least one repository.", 422);
  if (ids.some((id) => !own.has(id)))
    return errorPage("Repository not found", `A repository is not one of ${target.account.login}'s.`, 422);
  return { selection, ids };
}

/** Handles a posted install form: signs in, or installs / configures and sends the webhooks. */
async function post(c: SimContext, app: SimApp): Promise<Response> {
  const store = c.env.store;
  const form = new URLSearchParams(await c.req.text());
  const keep = carried(form);
  const targetId = form.get("target_id");
  if (form.get("sim_action") === "signin") {
    const who = store.accountByLogin(form.get("login") ?? "");
    if (who?.type === "User") store.updateSettings({ signedInLogin: who.login });
    const back = new URLSearchParams(keep);
    if (targetId !== null) back.set("target_id", targetId);
    const path = `${installPath(app, store.flavor)}${targetId !== null ? "/permissions" : ""}`;
    const query = back.toString();
    return new Response(null, { status: 303, headers: { location: query ? `${path}?${query}` : path } });
  }
  const user = signedIn(store);
  if (!user) return signIn(store, app, { ...keep, ...(targetId !== null ? { target_id: targetId } : {}) });
  const target = targetById(store, app, user, targetId);
  if (!target) return notFoundPage();
  const chosen = chosenRepositories(form, target);
  if (chosen instanceof Response) return chosen;
  const state = form.get("state");
  if (target.installation) {
    const updated = changeRepositorySelection(c, target.installation, chosen.selection, chosen.ids, user);
    return afterInstall(app, target.account, updated, "update", state);
  }
  const id = store.nextId("installation");
  const created = store.installations.set(
    id,
    installationRecord(store, app, target.account, {
      id,
      repositorySelection: chosen.selection,
      repositoryIds: chosen.ids,
    }),
  );
  sendInstallationEvent(c, "created", created, user);
  return afterInstall(app, target.account, created, "install", state);
}

/** Registers the install pages. */
export function registerInstallRoutes(app: Hono<SimEnv>): void {
  app.get("/apps/:slug/installations/new", (c) => {
    const store = c.env.store;
    const a = appBySlug(store, c.req.param("slug"));
    if (!a) return notFoundPage();
    const params = new URL(c.req.url).searchParams;
    const user = signedIn(store);
    if (!user) return signIn(store, a, carried(params));
    return installPage(store.flavor, a, user, targets(store, a, user), carried(params));
  });

  app.get("/apps/:slug/installations/new/permissions", (c) => {
    const store = c.env.store;
    const a = appBySlug(store, c.req.param("slug"));
    if (!a) return notFoundPage();
    const params = new URL(c.req.url).searchParams;
    const targetId = params.get("target_id") ?? params.get("suggested_target_id");
    const user = signedIn(store);
    if (!user)
      return signIn(store, a, { ...carried(params), ...(targetId !== null ? { target_id: targetId } : {}) });
    const target = targetById(store, a, user, targetId);
    if (!target) return notFoundPage();
    return installPage(store.flavor, a, user, [target], carried(params));
  });

  app.post("/apps/:slug/installations/new", (c) => {
    const a = appBySlug(c.env.store, c.req.param("slug"));
    return a ? post(c, a) : notFoundPage();
  });
}
