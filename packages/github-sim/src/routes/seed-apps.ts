/**
 * Control API, Apps and installations: `/_sim/apps` (upsert by slug), `/_sim/installations` and their
 * changes (repositories, suspend, unsuspend, delete), which send the webhooks GitHub sends.
 */
import type { Hono } from "hono";
import type { SimEnv } from "../context.ts";
import { json } from "../http.ts";
import {
  installationRecord,
  sendInstallationEvent,
  sendRepositoryEvents,
  webhookSender,
} from "../installations.ts";
import { revokeInstallationTokens } from "../issue.ts";
import type { SimStore } from "../state.ts";
import { clientId as newClientId, clientSecret as newClientSecret } from "../tokens.ts";
import type { Permissions, SimAccount, SimApp, SimRepo } from "../types.ts";
import { bad, body, int, str, upsertAccount } from "./seed.ts";

/** The App named by id, slug or client id. */
export function resolveApp(store: SimStore, ref: unknown): SimApp | undefined {
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

/** Whether `pem` is an RSA SPKI public key WebCrypto accepts. */
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

/** The webhook `sender` of a control request: its `sender` login, else who GitHub would name. */
function sender(store: SimStore, input: Record<string, unknown>, fallback: SimAccount): SimAccount {
  return webhookSender(store, str(input.sender), fallback);
}

/** The `setupUrl` of a seed: null clears it, absent keeps `current`; a string must be an http(s) URL. */
function setupUrlOf(v: unknown, current: string | null): string | null | Error {
  if (v === null) return null;
  if (v === undefined || v === "") return current;
  if (typeof v !== "string") return new Error("setupUrl must be a URL string or null");
  try {
    const u = new URL(v);
    if (u.protocol === "http:" || u.protocol === "https:") return v;
  } catch {
    // Answered below.
  }
  return new Error("setupUrl must be an absolute http(s) URL");
}

/** Registers the App and installation routes. */
export function registerAppSeedRoutes(app: Hono<SimEnv>): void {
  app.post("/_sim/apps", async (c) => {
    const b = await body(c);
    if (b instanceof Response) return b;
    const store = c.env.store;
    const slug = str(b.slug);
    if (!slug || !/^[a-z0-9-]+$/.test(slug)) return bad("slug is required (lower case, digits, hyphens)");
    // Seeding an existing slug updates it: fields not given keep their values.
    const existing = store.apps.find((a) => a.slug === slug);
    const publicKeyPem = str(b.publicKeyPem) ?? existing?.publicKeyPem;
    if (!publicKeyPem || !(await validPublicKey(publicKeyPem))) {
      return bad("publicKeyPem must be an RSA public key in SPKI PEM (-----BEGIN PUBLIC KEY-----)");
    }
    const id = int(b.id) ?? existing?.id ?? store.nextId("app");
    if (b.id !== undefined) store.reserveId("app", id);
    let owner = str(b.owner)
      ? store.accountByLogin(str(b.owner) ?? "")
      : existing && store.accounts.get(existing.ownerId);
    if (!owner) {
      if (str(b.owner)) return bad(`owner ${String(b.owner)} is not seeded`);
      const made = upsertAccount(store, { login: "github-sim-apps" }, "Organization");
      if (typeof made === "string") return bad(made);
      owner = made;
    }
    const bot = upsertAccount(store, { login: `${slug}[bot]`, id: int(b.botUserId) }, "Bot");
    if (typeof bot === "string") return bad(bot);
    store.accounts.set(bot.id, { ...bot, appId: id });
    const setupUrl = setupUrlOf(b.setupUrl, existing?.setupUrl ?? null);
    if (setupUrl instanceof Error) return bad(setupUrl.message);
    const list = (v: unknown, fallback: string[]) => (Array.isArray(v) ? v.map(String) : fallback);
    const record: SimApp = {
      id,
      slug,
      name: str(b.name) ?? existing?.name ?? slug,
      clientId: str(b.clientId) ?? existing?.clientId ?? newClientId(),
      clientSecret: str(b.clientSecret) ?? existing?.clientSecret ?? newClientSecret(),
      publicKeyPem,
      ownerId: owner.id,
      botUserId: bot.id,
      webhookUrl: str(b.webhookUrl) ?? existing?.webhookUrl ?? null,
      webhookSecret: str(b.webhookSecret) ?? existing?.webhookSecret ?? null,
      permissions: (b.permissions as Permissions | undefined) ??
        existing?.permissions ?? { contents: "write", metadata: "read", pull_requests: "write" },
      events: list(b.events, existing?.events ?? []),
      callbackUrls: list(b.callbackUrls, existing?.callbackUrls ?? []),
      deviceFlowEnabled:
        typeof b.deviceFlowEnabled === "boolean"
          ? b.deviceFlowEnabled
          : (existing?.deviceFlowEnabled ?? true),
      expireUserTokens:
        typeof b.expireUserTokens === "boolean" ? b.expireUserTokens : (existing?.expireUserTokens ?? true),
      description: str(b.description) ?? existing?.description ?? null,
      setupUrl,
      setupOnUpdate:
        typeof b.setupOnUpdate === "boolean" ? b.setupOnUpdate : (existing?.setupOnUpdate ?? true),
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
    const i = installationRecord(store, a, account, {
      id,
      repositorySelection: selection,
      repositoryIds: repos.map((r) => r.id),
      permissions: b.permissions as Permissions | undefined,
      events: Array.isArray(b.events) ? b.events.map(String) : undefined,
      suspended: b.suspended === true,
      createdAt: existing?.createdAt,
    });
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
    if (b.webhook !== false) sendRepositoryEvents(c, updated, added, removed, sender(store, b, account));
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
