/**
 * Vitest globalSetup for Node-side end-to-end tests (real Chromium, real git): runs the three workers
 * together in one Miniflare, wired exactly as `pnpm dev` wires them, on a free port of 127.0.0.1, against
 * this run's Postgres and simulator (see suite.ts, which `pnpm bench` and the reliability run share).
 * Needs global-setup.ts, with-simulator.ts and build-workers.ts (all three workers) before it.
 */
import type { TestProject } from "vitest/node";
import { startSuite } from "./suite.ts";

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

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const ctx = project.getProvidedContext();
  const suite = await startSuite({
    databaseUrl: ctx.databaseUrl,
    dbWsProxy: ctx.dbWsProxy,
    simUrl: ctx.simUrl,
    githubApiUrl: ctx.githubApiUrl,
    githubWebUrl: ctx.githubWebUrl,
    app: {
      id: ctx.githubAppId,
      slug: ctx.githubAppSlug,
      clientId: ctx.githubClientId,
      clientSecret: ctx.githubClientSecret,
      privateKeyPem: ctx.githubAppPrivateKey,
    },
    tokenEncryptionKeys: ctx.tokenEncryptionKeys,
  });
  project.provide("suiteUrl", suite.publicUrl);
  project.provide("suiteWebhookSecret", suite.webhookSecret);
  project.provide("platformUrl", suite.platformUrl);
  return () => suite.close();
}
