/**
 * Control API, seeding people and code: `/_sim/users`, `/_sim/orgs`, `/_sim/repos`, collaborators.
 * Apps and installations: `seed-apps.ts`.
 */
import type { Hono } from "hono";
import type { SimContext, SimEnv } from "../context.ts";
import { json, readJsonObject } from "../http.ts";
import { repositoryCreated } from "../moves.ts";
import type { SimStore } from "../state.ts";
import type { RepoRole, SimAccount, SimRepo } from "../types.ts";

/** A 400 answer of the control API. */
export function bad(message: string, status = 400): Response {
  return json({ error: message }, status);
}

const ROLES: RepoRole[] = ["admin", "maintain", "write", "triage", "read"];

/** A non-empty string, or undefined. */
export function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** A positive integer, or undefined. */
export function int(v: unknown): number | undefined {
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
    ...(existing?.defaultRepositoryPermission
      ? { defaultRepositoryPermission: existing.defaultRepositoryPermission }
      : {}),
    ...(existing?.appId !== undefined ? { appId: existing.appId } : {}),
    ...(existing?.samlEnforced !== undefined ? { samlEnforced: existing.samlEnforced } : {}),
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

/** The JSON object body of a control request, or a 400. */
export async function body(c: SimContext): Promise<Record<string, unknown> | Response> {
  const b = await readJsonObject(c.req.raw);
  return b ?? bad("body must be a JSON object");
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
    const base = b.defaultRepositoryPermission ?? r.defaultRepositoryPermission ?? "read";
    if (base !== "read" && base !== "write" && base !== "admin" && base !== "none") {
      return bad("defaultRepositoryPermission must be read, write, admin or none");
    }
    if (b.samlEnforced !== undefined && typeof b.samlEnforced !== "boolean") {
      return bad("samlEnforced must be a boolean");
    }
    const samlEnforced = b.samlEnforced ?? r.samlEnforced;
    return json(
      store.accounts.set(r.id, {
        ...r,
        members: { ...(r.members ?? {}), ...members },
        defaultRepositoryPermission: base,
        ...(samlEnforced === undefined ? {} : { samlEnforced }),
      }),
      201,
    );
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
    // A repository that takes an old name ends that name's redirect (moves.ts).
    repositoryCreated(store, owner.id, name);
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
}
