import { env } from "cloudflare:workers";
import {
  githubInstallationRepositories,
  githubInstallations,
  openDatabase,
  webhookDeliveries,
} from "@gitcred/db";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { Browser } from "./browser.ts";
import { WEBHOOK_SECRET } from "./constants.ts";
import { connectThroughBrowser, gitToken, seedPerson, signedInBrowser, sim } from "./helpers.ts";
import { signWebhook } from "./sign-webhook.ts";

const handle = openDatabase(env);
afterAll(() => handle.close());
const db = handle.db;

async function deliver(event: string, payload: unknown, options: { secret?: string; id?: string } = {}) {
  const body = JSON.stringify(payload);
  const id = options.id ?? crypto.randomUUID();
  const res = await new Browser().request("/github/webhooks", {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": id,
      "x-hub-signature-256": await signWebhook(options.secret ?? WEBHOOK_SECRET, body),
    },
  });
  return { res, id, json: (await res.json()) as Record<string, string> };
}

let nextId = 880_000;
function installation(id: number, selection: "all" | "selected" = "selected") {
  return {
    id,
    account: { login: `org-${id}`, id: id + 1, type: "Organization" },
    repository_selection: selection,
    suspended_at: null,
  };
}

describe("POST /github/webhooks", () => {
  it("refuses forged signatures before storing anything", async () => {
    const id = nextId++;
    const payload = { action: "created", installation: installation(id), repositories: [] };
    for (const secret of ["wrong-secret", ""]) {
      const { res, id: deliveryId } = await deliver("installation", payload, { secret: secret || "x" });
      expect(res.status).toBe(401);
      expect(
        await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.deliveryId, deliveryId)),
      ).toEqual([]);
    }
    const unsigned = await new Browser().request("/github/webhooks", {
      method: "POST",
      body: JSON.stringify(payload),
      headers: { "x-github-event": "installation", "x-github-delivery": crypto.randomUUID() },
    });
    expect(unsigned.status).toBe(401);
    expect(
      await db.select().from(githubInstallations).where(eq(githubInstallations.installationId, id)),
    ).toEqual([]);
  });

  it("applies installation events once per delivery id", async () => {
    const id = nextId++;
    const created = {
      action: "created",
      installation: installation(id),
      repositories: [{ id: 1, full_name: `org-${id}/Alpha` }],
    };
    const first = await deliver("installation", created);
    expect(first.json).toEqual({ status: "applied" });
    const replay = await deliver("installation", { ...created, action: "suspend" }, { id: first.id });
    expect(replay.json).toEqual({ status: "duplicate" });
    const [row] = await db
      .select()
      .from(githubInstallations)
      .where(eq(githubInstallations.installationId, id));
    expect(row).toMatchObject({
      accountLogin: `org-${id}`,
      repositorySelection: "selected",
      suspendedAt: null,
    });
    const repos = await db
      .select()
      .from(githubInstallationRepositories)
      .where(eq(githubInstallationRepositories.installationId, id));
    expect(repos.map((r) => r.fullName)).toEqual([`org-${id}/alpha`]);

    expect((await deliver("installation", { ...created, action: "suspend" })).json).toEqual({
      status: "applied",
    });
    const [suspended] = await db
      .select()
      .from(githubInstallations)
      .where(eq(githubInstallations.installationId, id));
    expect(suspended?.suspendedAt).not.toBeNull();
    expect((await deliver("installation", { ...created, action: "unsuspend" })).json).toEqual({
      status: "applied",
    });

    await deliver("installation_repositories", {
      action: "added",
      installation: installation(id),
      repository_selection: "selected",
      repositories_added: [{ id: 2, full_name: `org-${id}/beta` }],
      repositories_removed: [{ id: 1, full_name: `org-${id}/alpha` }],
    });
    const after = await db
      .select()
      .from(githubInstallationRepositories)
      .where(eq(githubInstallationRepositories.installationId, id));
    expect(after.map((r) => r.fullName)).toEqual([`org-${id}/beta`]);

    expect((await deliver("installation", { ...created, action: "deleted" })).json).toEqual({
      status: "applied",
    });
    const [deleted] = await db
      .select()
      .from(githubInstallations)
      .where(eq(githubInstallations.installationId, id));
    expect(deleted?.deletedAt).not.toBeNull();
  });

  it("applies one of many concurrent redeliveries", async () => {
    const id = nextId++;
    const payload = { action: "created", installation: installation(id, "all") };
    const body = JSON.stringify(payload);
    const deliveryId = crypto.randomUUID();
    const sig = await signWebhook(WEBHOOK_SECRET, body);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        new Browser()
          .request("/github/webhooks", {
            method: "POST",
            body,
            headers: {
              "x-github-event": "installation",
              "x-github-delivery": deliveryId,
              "x-hub-signature-256": sig,
            },
          })
          .then((r) => r.json() as Promise<{ status: string }>),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual(["applied", ...Array(5).fill("duplicate")]);
  });

  it("marks the connection reconnect_required when the person revoked the App at GitHub", async () => {
    const person = await seedPerson();
    await connectThroughBrowser(await signedInBrowser(person.userId), person.login);
    const revoked = {
      action: "revoked",
      sender: { login: person.login, id: person.githubUserId, type: "User" },
    };
    // A forged or late "revoked" for a grant that still works changes nothing (git-token asks GitHub).
    expect((await deliver("github_app_authorization", revoked)).json).toEqual({ status: "applied" });
    expect(await gitToken().getConnection({ userId: person.userId })).toMatchObject({ status: "active" });

    await sim.revokeGrant(Number(env.GITHUB_APP_ID), person.login, { webhook: false });
    expect((await deliver("github_app_authorization", revoked)).json).toEqual({ status: "applied" });
    expect(await gitToken().getConnection({ userId: person.userId })).toMatchObject({
      connected: true,
      status: "reconnect_required",
    });
    const browser = await signedInBrowser(person.userId);
    expect((await browser.page("/settings")).html).toContain("Reconnect GitHub");
  });

  it("answers 400 for missing delivery headers or invalid JSON, and ignores other events", async () => {
    const body = "{not json";
    const res = await new Browser().request("/github/webhooks", {
      method: "POST",
      body,
      headers: {
        "x-github-event": "installation",
        "x-github-delivery": crypto.randomUUID(),
        "x-hub-signature-256": await signWebhook(WEBHOOK_SECRET, body),
      },
    });
    expect(res.status).toBe(400);
    const noDelivery = await new Browser().request("/github/webhooks", {
      method: "POST",
      body: "{}",
      headers: { "x-github-event": "ping", "x-hub-signature-256": await signWebhook(WEBHOOK_SECRET, "{}") },
    });
    expect(noDelivery.status).toBe(400);
    expect((await deliver("ping", { zen: "Keep it logically awesome." })).json).toEqual({
      status: "ignored",
    });
  });
});
