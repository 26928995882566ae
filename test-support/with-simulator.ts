/**
 * Vitest globalSetup for worker projects that talk to GitHub: starts the GitHub simulator for this
 * project's run, seeds a GitHub App with a fresh RSA key pair (handed over as PKCS#1, as GitHub
 * downloads it, so the PKCS#8 conversion is exercised), lets the OAuth authorize page approve at once,
 * and provides everything a worker needs as bindings (read with `inject` in the config), plus a fresh
 * TOKEN_ENCRYPTION_KEYS. Use together with global-setup.ts (Postgres).
 *
 * A project may `provide` `githubFlavor: "ghes"` (GitHub Enterprise Server's layout: the workers get
 * GITHUB_API_URL=<sim>/api/v3) and `githubTokenFormat: "stateless"` (~520-character `ghs_<appid>_<JWT>`
 * installation tokens) in its vitest config; `simUrl` stays the simulator's origin (its `/_sim` API).
 */
import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { createSimAdmin, generateAppKeyPair, startSimulator } from "../packages/github-sim/local/index.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The simulator's origin: its control API (`/_sim`) and, on GHES, its web pages too. */
    simUrl: string;
    /** GITHUB_API_URL for the workers: `simUrl` on github.com, `<simUrl>/api/v3` on GHES. */
    githubApiUrl: string;
    /** GITHUB_WEB_URL for the workers (the origin on both). */
    githubWebUrl: string;
    /** Set in a project's config `provide`: which GitHub the simulator is (default github.com). */
    githubFlavor?: "dotcom" | "ghes";
    /** Set in a project's config `provide`: the installation token format (default classic). */
    githubTokenFormat?: "classic" | "stateless";
    githubAppId: string;
    githubAppSlug: string;
    githubClientId: string;
    githubClientSecret: string;
    /** PKCS#1 PEM (`BEGIN RSA PRIVATE KEY`). */
    githubAppPrivateKey: string;
    tokenEncryptionKeys: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { githubFlavor, githubTokenFormat } = project.getProvidedContext();
  const sim = await startSimulator({
    ...(githubFlavor === undefined ? {} : { flavor: githubFlavor }),
    ...(githubTokenFormat === undefined ? {} : { tokenFormat: githubTokenFormat }),
  });
  try {
    const admin = createSimAdmin(sim.url);
    const keys = generateAppKeyPair();
    const slug = `gitcred-test-${randomBytes(3).toString("hex")}`;
    const app = await admin.seedApp({
      slug,
      publicKeyPem: keys.publicKeyPem,
      permissions: { contents: "write", metadata: "read", pull_requests: "write" },
    });
    // One request signs in and approves (POST /login/oauth/authorize with sim_action=signin): no shared
    // "who is signed in" state between concurrently running test files.
    await admin.setSession({ autoApprove: "approve" });
    // The simulator counts Basic-auth calls (client id + secret: token checks, revocations) against the
    // 60/h unauthenticated per-address bucket; GitHub counts them per App. A whole test run comes from one
    // address, so that bucket is raised here rather than letting one test file starve the next.
    await admin.setSettings({ rateLimitUnauthenticated: 1_000_000 });
    project.provide("simUrl", sim.url);
    project.provide("githubApiUrl", sim.apiUrl);
    project.provide("githubWebUrl", sim.webUrl);
    project.provide("githubAppId", String(app.id));
    project.provide("githubAppSlug", app.slug);
    project.provide("githubClientId", app.clientId);
    project.provide("githubClientSecret", app.clientSecret);
    project.provide("githubAppPrivateKey", keys.privateKeyPkcs1Pem);
    project.provide("tokenEncryptionKeys", `test1:${randomBytes(32).toString("base64")}`);
  } catch (error) {
    await sim.close();
    throw error;
  }
  return () => sim.close();
}
