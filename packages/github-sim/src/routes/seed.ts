/**
 * Control API, seeding: `/_sim/users`, `/_sim/orgs`, `/_sim/repos`, collaborators, `/_sim/apps`,
 * `/_sim/installations` and their changes (repositories, suspend, unsuspend, delete), which send the
 * matching webhooks like GitHub does.
 */
import type { Hono } from "hono";
import { bases, type SimContext, type SimEnv } from "../context.ts";
import { json, readJsonObject } from "../http.ts";
import { revokeInstallationTokens } from "../issue.ts";
import type { SimStore } from "../state.ts";
import { clientId as newClientId, clientSecret as newClientSecret } from "../tokens.ts";
import type { Permissions, RepoRole, SimAccount, SimApp, SimInstallation, SimRepo } from "../types.ts";
import { deliver, installationPayload, installationRepositoriesPayload } from "../webhooks.ts";

/** A 400 answer of the control API. */
export function bad(message: string, status = 400): Response {
  return json({ error: message }, status);
}

const ROLES: RepoRole[] = ["admin", "maintain", "write", "triage", "read"];

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

function int(v: unknown): number | undefined {
  return typeof v === "number" && Number.isInteger(v) && v > 0 ? v : undefined;
}

/** Creates or updates an account by login. */
export function upsertAccount(
  store: SimStore,
  input: Record<string, unknown>,
  type: SimAccount["type"],
): SimAccount | string {
  const login = str(input.login);
  if (!login || !/^[A-Za-z0-9-]+(\[bot\])?$/.test(login))
    return "login is required (letters, digits, hyphens)";
  const existing = store.accountByLogin(login);
  const id = int(input.id) ?? existing?.id ?? store.nextId("account");
  if (input.id !== undefined) store.reserveId("account", id);
  const clash = store.accounts.get(id);
  if (clash && clash.login.toLowerCase() !== login.toLowerCase())
    return `id ${id} already belongs to ${clash.login}`;
  if (existing && existing.id !== id) store.accounts.delete(existing.id);
  const account: SimAccount = {
    id,
    login,
    type,
    name: str(input.name) ?? existing?.name ?? null,
    email:
      str(input.email) ??
      existing?.email ??
      (type === "User" ? `${login.toLowerCase()}@users.noreply.github.com` : null),
    createdAt: existing?.createdAt ?? store.clock.iso(),
    ...(existing?.members ? { members: existing.members } : {}),
    ...(existing?.appId !== undefined ? { appId: existing.appId } : {}),
  };
  return store.accounts.set(id, account);
}

function parseMembers(store: SimStore, v: unknown): Record<string, "admin" | "member"> | string {
  const out: Record<string, "admin" | "member"> = {};
  const entries: [string, unknown][] = Array.isArray(v)
    ? v.map((m) => [
        String((m as { login?: unknown }).login ?? ""),
        (m as { role?: unknown }).role ?? "member",
      ])
    : Object.entries((v as Record<string, unknown>) ?? {});
  for (const [login, role] of entries) {
    if (!store.accountByLogin(login)) return `member ${login} is not a seeded user`;
    if (role !== "admin" && role !== "member") return `member role must be admin or member`;
    out[login.toLowerCase()] = role;
  }
  return out;
}

function resolveApp(store: SimStore, ref: unknown): SimApp | undefined {
  if (typeof ref === "number") return store.apps.get(ref);
  if (typeof ref !== "string") return undefined;
  return /^\d+$/.test(ref)
    ? store.apps.get(Number(ref))
    : (store.apps.find((a) => a.slug === ref) ?? store.appByClientId(ref));
}

/** Resolves `name` or `owner/name` to a repository of `ownerId`. */
function resolveRepo(store: SimStore, owner: SimAccount, ref: unknown): SimRepo | undefined {
  if (typeof ref === "number") return store.repos.get(ref);
  if (typeof ref !== "string") return undefined;
  const [o, n] = ref.includes("/") ? ref.split("/") : [owner.login, ref];
  return o && n ? store.repoByName(o, n) : undefined;
}

async function validPublicKey(pem: string): Promise<boolean> {
  try {
    const b64 = pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
    const der = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
    await crypto.subtle.importKey("spki", der, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, [
      "verify",
    ]);
    return true;
  } catch {
    return false;
  }
}

function sender(store: SimStore, input: Record<string, unknown>, fallback: SimAccount): SimAccount {
  const login = str(input.sender);
  const who = login ? store.accountByLogin(login) : undefined;
  if (who) return who;
  if (fallback.type === "Organization") {
    const admin = Object.entries(fallback.members ?? {}).find(([, r]) => r === "admin")?.[0];
    const a = admin ? store.accountByLogin(admin) : undefined;
    if (a) return a;
  }
  return fallback;
}

async function body(c: SimContext): Promise<Record<string, unknown> | Response> {
  const b = await readJsonObject(c.req.raw);
  return b ?? bad("body must be a JSON object");
}

function sendInstallationEvent(
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

/** Registers the seeding routes. */
export function registerSeedRoutes(app: Hono<SimEnv>): void {
  app.post("/_sim/users", async (c) => {
    const b = await body(c);
    if (b instanceof Response) return b;
    const type = b.type === "Bot" ? "Bot" : "User";
    const r = upsertAccount(c.env.store, b, type);
    return typeof r === "string" ? bad(r) : json(r, 201);
  });

  app.post("/_sim/orgs", async (c) => {
    const b = await body(c);
    if (b instanceof Response) return b;
    const store = c.env.store;
    const members = parseMembers(store, b.members);
    if (typeof members === "string") return bad(members);
    const r = upsertAccount(store, b, "Organization");
    if (typeof r === "string") return bad(r);
    return json(store.accounts.set(r.id, { ...r, members: { ...(r.members ?? {}), ...members } }), 201);
  });

  app.post("/_sim/repos", async (c) => {
    const b = await body(c);
    if (b instanceof Response) return b;
    const store = c.env.store;
    const [fo, fn] = typeof b.fullName === "string" ? b.fullName.split("/") : [];
    const owner = store.accountByLogin(str(b.owner) ?? fo ?? "");
    const name = str(b.name) ?? fn;
    if (!owner || owner.type === "Bot") return bad("owner must be a seeded user or org");
    if (!name || !/^[A-Za-z0-9._-]+$/.test(name)) return bad("name is required");
    const existing = store.repoByName(owner.login, name);
    const id = int(b.id) ?? existing?.id ?? store.nextId("repo");
    if (b.id !== undefined) store.reserveId("repo", id);
    const collaborators: Record<string, RepoRole> = { ...(existing?.collaborators ?? {}) };
    for (const [login, role] of Object.entries((b.collaborators as Record<string, unknown>) ?? {})) {
      const who = store.accountByLogin(login);
      if (!who) return bad(`collaborator ${login} is not a seeded account`);
      if (!ROLES.includes(role as RepoRole)) return bad(`role must be one of ${ROLES.join(", ")}`);
      collaborators[String(who.id)] = role as RepoRole;
    }
    if (existing && existing.id !== id) store.repos.delete(existing.id);
    const repo: SimRepo = {
      id,
      ownerId: owner.id,
      name,
      private: typeof b.private === "boolean" ? b.private : (existing?.private ?? true),
      defaultBranch: str(b.defaultBranch) ?? existing?.defaultBranch ?? "main",
      description: str(b.description) ?? existing?.description ?? null,
      createdAt: existing?.createdAt ?? store.clock.iso(),
      collaborators,
    };
    return json(store.repos.set(id, repo), 201);
  });

  app.put("/_sim/repos/:owner/:repo/collaborators/:login", async (c) => {
    const b = await body(c);
    if (b instanceof Response) return b;
    const store = c.env.store;
    const repo = store.repoByName(c.req.param("owner"), c.req.param("repo"));
    const who = store.accountByLogin(c.req.param("login"));
    if (!repo || !who) return bad("unknown repo or account", 404);
    const collaborators = { ...repo.collaborators };
    if (b.role === null) delete collaborators[String(who.id)];
    else if (ROLES.includes(b.role as RepoRole)) collaborators[String(who.id)] = b.role as RepoRole;
    else return bad(`role must be one of ${ROLES.join(", ")} or null`);
    return json(store.repos.set(repo.id, { ...repo, collaborators }));
  });

  app.post("/_sim/apps", async (c) => {
    const b = await body(c);
    if (b instanceof Response) return b;
    const store = c.env.store;
    const slug = str(b.slug);
    if (!slug || !/^[a-z0-9-]+$/.test(slug)) return bad("slug is required (lower case, digits, hyphens)");
    const publicKeyPem = str(b.publicKeyPem);
    if (!publicKeyPem || !(await validPublicKey(publicKeyPem))) {
      return bad("publicKeyPem must be an RSA public key in SPKI PEM (-----BEGIN PUBLIC KEY-----)");
    }
    const existing = store.apps.find((a) => a.slug === slug);
    const id = int(b.id) ?? existing?.id ?? store.nextId("app");
    if (b.id !== undefined) store.reserveId("app", id);
    let owner = store.accountByLogin(str(b.owner) ?? "");
    if (!owner) {
      if (str(b.owner)) return bad(`owner ${String(b.owner)} is not seeded`);
      const made = upsertAccount(store, { login: "github-sim-apps" }, "Organization");
      if (typeof made === "string") return bad(made);
      owner = made;
    }
    const bot = upsertAccount(store, { login: `${slug}[bot]`, id: int(b.botUserId) }, "Bot");
    if (typeof bot === "string") return bad(bot);
    store.accounts.set(bot.id, { ...bot, appId: id });
    const record: SimApp = {
      id,
      slug,
      name: str(b.name) ?? existing?.name ?? slug,
      clientId: str(b.clientId) ?? existing?.clientId ?? newClientId(),
      clientSecret: str(b.clientSecret) ?? existing?.clientSecret ?? newClientSecret(),
      publicKeyPem,
      ownerId: owner.id,
      botUserId: bot.id,
      webhookUrl: str(b.webhookUrl) ?? null,
      webhookSecret: str(b.webhookSecret) ?? null,
      permissions: (b.permissions as Permissions | undefined) ?? {
        contents: "write",
        metadata: "read",
        pull_requests: "write",
      },
      events: Array.isArray(b.events) ? b.events.map(String) : [],
      callbackUrls: Array.isArray(b.callbackUrls) ? b.callbackUrls.map(String) : [],
      deviceFlowEnabled: b.deviceFlowEnabled !== false,
      expireUserTokens: b.expireUserTokens !== false,
      description: str(b.description) ?? null,
      createdAt: existing?.createdAt ?? store.clock.iso(),
    };
    if (existing && existing.id !== id) store.apps.delete(existing.id);
    return json(store.apps.set(id, record), 201);
  });

  app.post("/_sim/installations", async (c) => {
    const b = await body(c);
    if (b instanceof Response) return b;
    const store = c.env.store;
    const a = resolveApp(store, b.app);
    if (!a) return bad("app must name a seeded App (id, slug or client id)");
    const account = store.accountByLogin(str(b.account) ?? "");
    if (!account || account.type === "Bot") return bad("account must be a seeded user or org");
    const refs = Array.isArray(b.repositories) ? b.repositories : [];
    const repos: SimRepo[] = [];
    for (const ref of refs) {
      const r = resolveRepo(store, account, ref);
      if (!r || r.ownerId !== account.id)
        return bad(`repository ${String(ref)} does not belong to ${account.login}`);
      repos.push(r);
    }
    const selection =
      b.repositorySelection === "all" || b.repositorySelection === "selected"
        ? b.repositorySelection
        : refs.length > 0
          ? "selected"
          : "all";
    const existing = store.installations.find((i) => i.appId === a.id && i.accountId === account.id);
    const id = int(b.id) ?? existing?.id ?? store.nextId("installation");
    if (b.id !== undefined) store.reserveId("installation", id);
    const now = store.clock.iso();
    const i: SimInstallation = {
      id,
      appId: a.id,
      accountId: account.id,
      repositorySelection: selection,
      repositoryIds: repos.map((r) => r.id),
      permissions: (b.permissions as Permissions | undefined) ?? { ...a.permissions },
      events: Array.isArray(b.events) ? b.events.map(String) : [...a.events],
      suspendedAt: b.suspended === true ? now : null,
      suspendedById: null,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    if (existing && existing.id !== id) store.installations.delete(existing.id);
    store.installations.set(id, i);
    if (b.webhook !== false && !existing) sendInstallationEvent(c, "created", i, sender(store, b, account));
    return json(i, 201);
  });

  app.post("/_sim/installations/:id/repositories", async (c) => {
    const b = await body(c);
    if (b instanceof Response) return b;
    const store = c.env.store;
    const i = store.installations.get(Number(c.req.param("id")));
    if (!i) return bad("unknown installation", 404);
    const account = store.account(i.accountId);
    const pick = (v: unknown): SimRepo[] | string => {
      const out: SimRepo[] = [];
      for (const ref of Array.isArray(v) ? v : []) {
        const r = resolveRepo(store, account, ref);
        if (!r || r.ownerId !== account.id)
          return `repository ${String(ref)} does not belong to ${account.login}`;
        out.push(r);
      }
      return out;
    };
    const add = pick(b.add);
    const remove = pick(b.remove);
    if (typeof add === "string") return bad(add);
    if (typeof remove === "string") return bad(remove);
    const ids = new Set(i.repositoryIds);
    const added = add.filter((r) => !ids.has(r.id));
    const removed = remove.filter((r) => ids.has(r.id));
    for (const r of added) ids.add(r.id);
    for (const r of removed) ids.delete(r.id);
    const updated = store.installations.set(i.id, {
      ...i,
      repositorySelection: "selected",
      repositoryIds: [...ids],
      updatedAt: store.clock.iso(),
    });
    const a = store.apps.get(i.appId);
    const who = sender(store, b, account);
    if (a && b.webhook !== false) {
      const bs = bases(c);
      if (added.length)
        deliver(
          store,
          a,
          "installation_repositories",
          installationRepositoriesPayload(store, bs, "added", updated, added, [], who),
          c.env.background,
        );
      if (removed.length)
        deliver(
          store,
          a,
          "installation_repositories",
          installationRepositoriesPayload(store, bs, "removed", updated, [], removed, who),
          c.env.background,
        );
    }
    return json(updated);
  });

  for (const action of ["suspend", "unsuspend"] as const) {
    app.post(`/_sim/installations/:id/${action}`, async (c) => {
      const b = await body(c);
      if (b instanceof Response) return b;
      const store = c.env.store;
      const i = store.installations.get(Number(c.req.param("id")));
      if (!i) return bad("unknown installation", 404);
      const who = sender(store, b, store.account(i.accountId));
      const now = store.clock.iso();
      const updated = store.installations.set(i.id, {
        ...i,
        suspendedAt: action === "suspend" ? now : null,
        suspendedById: action === "suspend" ? who.id : null,
        updatedAt: now,
      });
      if (b.webhook !== false) sendInstallationEvent(c, action, updated, who);
      return json(updated);
    });
  }

  app.delete("/_sim/installations/:id", async (c) => {
    const store = c.env.store;
    const i = store.installations.get(Number(c.req.param("id")));
    if (!i) return bad("unknown installation", 404);
    const who = sender(store, {}, store.account(i.accountId));
    const webhook = new URL(c.req.url).searchParams.get("webhook") !== "false";
    if (webhook) sendInstallationEvent(c, "deleted", i, who);
    revokeInstallationTokens(store, i.id, "installation deleted");
    store.installations.delete(i.id);
    return json({ deleted: i.id });
  });
}
