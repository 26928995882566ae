/**
 * Webhook deliveries: signed like GitHub's, payloads valid against @octokit/openapi-webhooks, sent on
 * installation and grant changes.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { verify } from "@octokit/webhooks-methods";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appKeys, CALLBACK, userTokens, useSimulator } from "./helpers.ts";
import { validateWebhook } from "./openapi.ts";

const sim = useSimulator();
const SECRET = "It's a Secret to Everybody";

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let server: Server;
let hookUrl = "";
let received: Received[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString("utf8");
    });
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/github/webhooks`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function withWebhook(): Promise<void> {
  received = [];
  await sim.admin.seedApp({
    slug: "gitcred-test",
    id: 123456,
    publicKeyPem: appKeys().publicKeyPem,
    clientId: sim.world.app.clientId,
    clientSecret: sim.world.app.clientSecret,
    callbackUrls: [CALLBACK],
    webhookUrl: hookUrl,
    webhookSecret: SECRET,
    permissions: sim.world.app.permissions,
  });
}

async function waitFor(count: number): Promise<Received[]> {
  for (let i = 0; i < 100 && received.length < count; i++) await new Promise((r) => setTimeout(r, 20));
  expect(received.length).toBe(count);
  return received;
}

async function expectValid(r: Received, event: string, action: string): Promise<Record<string, unknown>> {
  expect(r.headers["x-github-event"]).toBe(event);
  expect(r.headers["x-github-delivery"]).toMatch(/^[0-9a-f-]{36}$/);
  expect(r.headers["content-type"]).toBe("application/json");
  expect(r.headers["user-agent"]).toMatch(/^GitHub-Hookshot\//);
  expect(await verify(SECRET, r.body, String(r.headers["x-hub-signature-256"]))).toBe(true);
  expect(await verify("wrong secret", r.body, String(r.headers["x-hub-signature-256"]))).toBe(false);
  const payload = JSON.parse(r.body) as Record<string, unknown>;
  expect(payload.action).toBe(action);
  expect(validateWebhook(event, action, payload)).toEqual([]);
  return payload;
}

describe("webhooks", () => {
  it("installation created, suspend, unsuspend, deleted", async () => {
    await withWebhook();
    await sim.admin.seedInstallation({
      app: "gitcred-test",
      account: "octocat",
      id: 8888,
      sender: "octocat",
    });
    await sim.admin.suspendInstallation(8888);
    await sim.admin.unsuspendInstallation(8888);
    await sim.admin.deleteInstallation(8888);
    const all = await waitFor(4);
    const created = await expectValid(all[0] as Received, "installation", "created");
    expect((created.installation as { id: number }).id).toBe(8888);
    await expectValid(all[1] as Received, "installation", "suspend");
    await expectValid(all[2] as Received, "installation", "unsuspend");
    await expectValid(all[3] as Received, "installation", "deleted");
    const deliveries = await sim.admin.deliveries();
    expect(deliveries.filter((d) => d.url === hookUrl).every((d) => d.status === 204)).toBe(true);
  });

  it("installation_repositories added and removed, org payload", async () => {
    await withWebhook();
    await sim.admin.updateInstallationRepositories(7777, { add: ["secret"], remove: ["public-site"] });
    const [added, removed] = await waitFor(2);
    const a = await expectValid(added as Received, "installation_repositories", "added");
    expect((a.repositories_added as { full_name: string }[]).map((r) => r.full_name)).toEqual([
      "acme/secret",
    ]);
    expect((a.organization as { login: string }).login).toBe("acme");
    const r = await expectValid(removed as Received, "installation_repositories", "removed");
    expect((r.repositories_removed as { id: number }[]).map((x) => x.id)).toEqual([1296271]);
  });

  it("github_app_authorization revoked when the person revokes the App", async () => {
    await withWebhook();
    await userTokens(sim.url, sim.admin, sim.world);
    expect(await sim.admin.revokeGrant(123456, "octocat")).toBe(true);
    const [hook] = await waitFor(1);
    const payload = await expectValid(hook as Received, "github_app_authorization", "revoked");
    expect((payload.sender as { login: string }).login).toBe("octocat");
  });

  it("a deliberately wrong payload field fails validation", async () => {
    await withWebhook();
    await sim.admin.suspendInstallation(7777);
    const [hook] = await waitFor(1);
    const payload = JSON.parse((hook as Received).body) as Record<string, unknown>;
    expect(validateWebhook("installation", "suspend", payload)).toEqual([]);
    expect(
      validateWebhook("installation", "suspend", { ...payload, action: "suspended" }).length,
    ).toBeGreaterThan(0);
    const installation = { ...(payload.installation as Record<string, unknown>), id: "7777" };
    expect(validateWebhook("installation", "suspend", { ...payload, installation }).length).toBeGreaterThan(
      0,
    );
  });

  it("custom deliveries through the control API", async () => {
    await withWebhook();
    await sim.admin.deliverWebhook("gitcred-test", "ping", { zen: "Keep it logically awesome.", hook_id: 1 });
    const [hook] = await waitFor(1);
    expect((hook as Received).headers["x-github-event"]).toBe("ping");
    expect(
      await verify(
        SECRET,
        (hook as Received).body,
        String((hook as Received).headers["x-hub-signature-256"]),
      ),
    ).toBe(true);
  });
});
