import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { claimInstallation, openDatabase } from "@gitcred/db";
import { afterAll, describe, expect, it } from "vitest";
import { sim, unique } from "../../test/helpers.ts";
import app from "../index.ts";

async function request(url: string, overrides: Partial<Env>, init: RequestInit = {}) {
  const ctx = createExecutionContext();
  const res = await app.fetch(
    new Request(url, { redirect: "manual", ...init }),
    { ...env, ...overrides },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

const handles: { close(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(handles.map((h) => h.close()));
});

/** A session on a repository the App is installed on, prepared through the session worker's RPC. */
async function preparedSession(): Promise<{ sessionId: string; secret: string }> {
  const owner = unique("org");
  await sim.seedOrg({ login: owner });
  await sim.seedRepo({ owner, name: "widgets" });
  const installation = await sim.seedInstallation({
    app: Number(env.GITHUB_APP_ID),
    account: owner,
    repositories: ["widgets"],
    webhook: false,
  });
  const tenantId = unique("tenant");
  // The platform's tenant claimed the installation (as grantInstallation records it).
  const handle = openDatabase(env);
  handles.push(handle);
  await claimInstallation(handle.db, { tenantId, installationId: installation.id, via: "grant" });
  const sessionId = unique("s");
  const prepared = await env.SESSION_PLATFORM.prepareSession({
    sessionId,
    userId: unique("user"),
    tenantId,
    owner,
    repo: "widgets",
    mode: "now",
    prefer: "app",
  });
  if (!prepared.ok) throw new Error(`prepareSession: ${prepared.reason}`);
  return { sessionId, secret: prepared.sessionSecret };
}

describe("/sessions/* in local dev (the sandbox API on the dev suite's one address)", () => {
  it("passes the sandbox's request to the session worker, which checks the session secret", async () => {
    const { sessionId, secret } = await preparedSession();
    const url = `http://127.0.0.1:8787/sessions/${sessionId}/credentials`;
    const on = { DEV_LOGIN: "true" };
    const ok = await request(url, on, { method: "POST", headers: { authorization: `Bearer ${secret}` } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      ok: true,
      identity: "app",
      token: expect.stringMatching(/^ghs_/),
    });
    const wrong = await request(url, on, {
      method: "POST",
      headers: { authorization: "Bearer not-the-secret" },
    });
    expect(wrong.status).toBeGreaterThanOrEqual(400);
    expect(await wrong.json()).toMatchObject({ ok: false });
  });

  it("is a 404 of this worker's own outside local dev, without reaching the session worker", async () => {
    const { sessionId, secret } = await preparedSession();
    const init = { method: "POST", headers: { authorization: `Bearer ${secret}` } };
    for (const [url, overrides] of [
      [`http://127.0.0.1:8787/sessions/${sessionId}/credentials`, {}],
      [
        `http://127.0.0.1:8787/sessions/${sessionId}/credentials`,
        { DEV_LOGIN: "true", PUBLIC_URL: "https://gitcred.example" },
      ],
      [`https://gitcred.example/sessions/${sessionId}/credentials`, { DEV_LOGIN: "true" }],
    ] as const) {
      const res = await request(url, overrides, init);
      expect(res.status).toBe(404);
      expect(await res.text()).toBe("Not found");
    }
  });
});
