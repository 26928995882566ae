/**
 * Webhook deliveries to an App's webhook URL, signed like GitHub's (`X-Hub-Signature-256` via
 * @octokit/webhooks-methods, plus the legacy SHA-1 `X-Hub-Signature`), with `X-GitHub-Event`,
 * `X-GitHub-Delivery` (a UUID) and the hook headers. Payloads follow @octokit/openapi-webhooks:
 * `installation` (created, deleted, suspend, unsuspend), `installation_repositories` (added, removed),
 * `github_app_authorization` (revoked).
 */
import { sign } from "@octokit/webhooks-methods";
import { GHES_VERSION } from "./flavor.ts";
import type { SimStore } from "./state.ts";
import type { DeliveryRecord, SimAccount, SimApp, SimInstallation, SimRepo } from "./types.ts";
import { type Bases, installation as installationView, simpleUser } from "./views.ts";

/** Deliveries kept for `GET /_sim/webhooks/deliveries`. */
const MAX_DELIVERIES = 500;

function repoRef(store: SimStore, r: SimRepo): Record<string, unknown> {
  const owner = store.account(r.ownerId);
  return {
    id: r.id,
    node_id: btoa(`010:Repository${r.id}`).replace(/=+$/, ""),
    name: r.name,
    full_name: `${owner.login}/${r.name}`,
    private: r.private,
  };
}

function organization(b: Bases, org: SimAccount): Record<string, unknown> {
  const u = `${b.api}/orgs/${org.login}`;
  return {
    login: org.login,
    id: org.id,
    node_id: btoa(`012:Organization${org.id}`).replace(/=+$/, ""),
    url: u,
    repos_url: `${u}/repos`,
    events_url: `${u}/events`,
    hooks_url: `${u}/hooks`,
    issues_url: `${u}/issues`,
    members_url: `${u}/members{/member}`,
    public_members_url: `${u}/public_members{/member}`,
    avatar_url: `${b.web}/avatars/u/${org.id}?v=4`,
    description: null,
  };
}

/** The `organization` field a webhook carries when `account` is an organization; nothing for a user. */
export function organizationOf(b: Bases, account: SimAccount): Record<string, unknown> {
  return account.type === "Organization" ? { organization: organization(b, account) } : {};
}

function withOrg(store: SimStore, b: Bases, i: SimInstallation): Record<string, unknown> {
  return organizationOf(b, store.account(i.accountId));
}

/** Payload of an `installation` event. */
export function installationPayload(
  store: SimStore,
  b: Bases,
  action: "created" | "deleted" | "suspend" | "unsuspend",
  i: SimInstallation,
  sender: SimAccount,
): Record<string, unknown> {
  return {
    action,
    installation: installationView(store, b, i),
    repositories: store.installationRepos(i).map((r) => repoRef(store, r)),
    requester: null,
    ...withOrg(store, b, i),
    sender: simpleUser(b, sender),
  };
}

/** Payload of an `installation_repositories` event. */
export function installationRepositoriesPayload(
  store: SimStore,
  b: Bases,
  action: "added" | "removed",
  i: SimInstallation,
  added: SimRepo[],
  removed: SimRepo[],
  sender: SimAccount,
): Record<string, unknown> {
  return {
    action,
    installation: installationView(store, b, i),
    repository_selection: i.repositorySelection,
    repositories_added: added.map((r) => repoRef(store, r)),
    repositories_removed: removed.map((r) => repoRef(store, r)),
    requester: null,
    ...withOrg(store, b, i),
    sender: simpleUser(b, sender),
  };
}

/** Payload of a `github_app_authorization` event (the person revoked the App). */
export function appAuthorizationRevokedPayload(b: Bases, user: SimAccount): Record<string, unknown> {
  return { action: "revoked", sender: simpleUser(b, user) };
}

async function hmacSha1Hex(secret: string, body: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    enc.encode(secret),
    { name: "HMAC", hash: "SHA-1" },
    false,
    ["sign"],
  );
  const sig = new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(body)));
  return [...sig].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Signature headers for a body and secret. */
export async function signatureHeaders(secret: string, body: string): Promise<Record<string, string>> {
  return {
    "x-hub-signature-256": await sign(secret, body),
    "x-hub-signature": `sha1=${await hmacSha1Hex(secret, body)}`,
  };
}

/**
 * Records a delivery and sends it in the background (when the App has a webhook URL).
 * Returns the record; its `status`/`error` are filled in when the attempt finishes.
 */
export function deliver(
  store: SimStore,
  app: SimApp,
  event: string,
  payload: Record<string, unknown>,
  background: (p: Promise<unknown>) => void,
): DeliveryRecord {
  const record: DeliveryRecord = {
    id: crypto.randomUUID(),
    time: new Date(store.clock.nowMs()).toISOString(),
    appId: app.id,
    event,
    action: typeof payload.action === "string" ? payload.action : null,
    url: app.webhookUrl,
    status: null,
    error: app.webhookUrl ? null : "no webhook URL configured",
    payload,
  };
  store.deliveries.set(record.id, record);
  if (store.deliveries.size > MAX_DELIVERIES) {
    const oldest = store.deliveries.firstKey();
    if (oldest) store.deliveries.delete(oldest);
  }
  const url = app.webhookUrl;
  if (!url) return record;
  const body = JSON.stringify(payload);
  background(
    (async () => {
      try {
        const headers: Record<string, string> = {
          "content-type": "application/json",
          "user-agent": "GitHub-Hookshot/github-sim",
          "x-github-event": event,
          "x-github-delivery": record.id,
          "x-github-hook-id": String(app.id),
          "x-github-hook-installation-target-id": String(app.id),
          "x-github-hook-installation-target-type": "integration",
          // GHES names its release on every delivery (GitHub's webhook docs, "Delivery headers").
          ...(store.flavor === "ghes" ? { "x-github-enterprise-version": GHES_VERSION } : {}),
          ...(app.webhookSecret ? await signatureHeaders(app.webhookSecret, body) : {}),
        };
        const res = await fetch(url, { method: "POST", headers, body });
        await res.body?.cancel();
        const current = store.deliveries.get(record.id);
        if (current) store.deliveries.set(record.id, { ...current, status: res.status });
      } catch (err) {
        const current = store.deliveries.get(record.id);
        const message = err instanceof Error ? err.message : String(err);
        if (current) store.deliveries.set(record.id, { ...current, error: message });
      }
    })(),
  );
  return record;
}
