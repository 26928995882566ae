/**
 * Vitest globalSetup for Node-side end-to-end tests (real Chromium, real git): runs the three workers
 * together in one Miniflare, wired exactly as `pnpm dev` wires them (their wrangler configs, service
 * bindings, Durable Objects, KV), on a free port of 127.0.0.1, against this run's Postgres and simulator.
 * Needs global-setup.ts, with-simulator.ts and build-workers.ts (all three workers) before it.
 */

import { createServer, type Server } from "node:http";
import { convertV4MiniflareOptions, Miniflare, NoOpLog } from "miniflare";
import type { TestProject } from "vitest/node";
import { auxiliaryWorker } from "./auxiliary-worker.ts";
import { platformWorker } from "./platform-worker.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** Origin of the connect worker (the public one), e.g. http://127.0.0.1:41234 */
    suiteUrl: string;
    /** The webhook secret the connect worker was given. */
    suiteWebhookSecret: string;
    /** Origin of the platform stand-in (see platform-worker.ts): `POST /rpc/<binding>/<method>`. */
    platformUrl: string;
  }
}

async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const ctx = project.getProvidedContext();
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const webhookSecret = "suite-webhook-secret";
  const shared = {
    DATABASE_URL: ctx.databaseUrl,
    DB_WS_PROXY: ctx.dbWsProxy,
    GITHUB_API_URL: ctx.simUrl,
    GITHUB_WEB_URL: ctx.simUrl,
    GITHUB_APP_ID: ctx.githubAppId,
    GITHUB_APP_SLUG: ctx.githubAppSlug,
    GITHUB_CLIENT_ID: ctx.githubClientId,
    GITHUB_CLIENT_SECRET: ctx.githubClientSecret,
    TOKEN_ENCRYPTION_KEYS: ctx.tokenEncryptionKeys,
    ENABLE_GITHUB_USER_TOKENS: "true",
  };
  const mf = new Miniflare({
    ...convertV4MiniflareOptions({
      host: "127.0.0.1",
      port,
      log: new NoOpLog(),
      workers: [
        auxiliaryWorker("connect", {
          ...shared,
          PUBLIC_URL: publicUrl,
          GITHUB_WEBHOOK_SECRET: webhookSecret,
        }),
        auxiliaryWorker("git-token", { ...shared, GITHUB_APP_PRIVATE_KEY: ctx.githubAppPrivateKey }),
        auxiliaryWorker("session", { GITHUB_API_URL: ctx.simUrl, ENABLE_GITHUB_USER_TOKENS: "true" }),
        platformWorker,
      ] as never,
    }),
    enableDevRegistry: false,
  } as never);
  await mf.ready;
  const platform = await mf.getWorker("gitcred-test-platform");
  // A Node front for the platform stand-in, so tests in Node can reach RPC over plain HTTP.
  const front: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const answer = await platform.fetch(`http://platform${req.url ?? "/"}`, {
      method: req.method ?? "GET",
      body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
      headers: { "content-type": "application/json" },
    });
    res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "text/plain" });
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
  const frontAddress = front.address();
  const platformUrl = `http://127.0.0.1:${typeof frontAddress === "object" && frontAddress !== null ? frontAddress.port : 0}`;
  project.provide("suiteUrl", publicUrl);
  project.provide("suiteWebhookSecret", webhookSecret);
  project.provide("platformUrl", platformUrl);
  return async () => {
    await new Promise<void>((resolve) => front.close(() => resolve()));
    await mf.dispose();
  };
}
