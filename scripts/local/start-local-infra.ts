/**
 * The local infrastructure the three workers need, for `pnpm dev` and `pnpm bench`: a Postgres engine
 * (DATABASE_URL if set, else embedded PGlite with data under .data/), the WebSocket proxy the Neon driver
 * needs locally, migrations, and the GitHub simulator with a GitHub App seeded in it (unless a real
 * GitHub App is configured). Returns the worker settings that point at all of it.
 */

import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { applyMigrations, startEmbeddedPostgres, startWsProxy } from "../../packages/db/local/index.ts";
import { generateEncryptionKey } from "../../packages/utils/src/generate-encryption-key.ts";

export interface LocalInfra {
  /** Settings for the workers (merged under the user's own .dev.vars). */
  readonly settings: Record<string, string>;
  readonly simulatorUrl: string | undefined;
  readonly databaseEngine: "postgresql" | "embedded";
  close(): Promise<void>;
}

export interface LocalInfraOptions {
  /** The user's own settings (root .dev.vars + environment). */
  userSettings: Record<string, string>;
  dataDir: string;
  publicUrl: string;
  simulatorPort: number;
  embeddedPostgresPort: number;
  log: (line: string) => void;
}

function isLoopbackUrl(url: string): boolean {
  try {
    return ["127.0.0.1", "localhost", "[::1]"].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** A dev encryption key kept under .data/ so data in the embedded database stays readable across restarts. */
async function devEncryptionKeys(dataDir: string): Promise<string> {
  const file = join(dataDir, "dev-encryption-keys");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const value = await generateEncryptionKey("dev1");
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return value;
}

export async function startLocalInfra(options: LocalInfraOptions): Promise<LocalInfra> {
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => {});
  };
  try {
    mkdirSync(options.dataDir, { recursive: true });
    const settings: Record<string, string> = {};
    const user = options.userSettings;

    let databaseUrl = user.DATABASE_URL ?? "";
    let databaseEngine: LocalInfra["databaseEngine"] = "postgresql";
    if (databaseUrl === "") {
      const embedded = await startEmbeddedPostgres({
        dataDir: join(options.dataDir, "pglite"),
        port: options.embeddedPostgresPort,
      });
      closers.push(() => embedded.close());
      databaseUrl = embedded.url;
      databaseEngine = "embedded";
      options.log(
        `postgres   embedded PGlite on ${embedded.url} (data in ${join(options.dataDir, "pglite")})`,
      );
    } else {
      options.log(`postgres   DATABASE_URL from your settings`);
    }
    if (isLoopbackUrl(databaseUrl)) {
      await applyMigrations(databaseUrl);
      options.log("postgres   migrations applied");
      const proxy = await startWsProxy();
      closers.push(() => proxy.close());
      settings.DB_WS_PROXY = proxy.hostPort;
    }
    settings.DATABASE_URL = databaseUrl;
    settings.TOKEN_ENCRYPTION_KEYS = user.TOKEN_ENCRYPTION_KEYS || (await devEncryptionKeys(options.dataDir));

    let simulatorUrl: string | undefined;
    const realApp = (user.GITHUB_APP_ID ?? "") !== "";
    if (!realApp) {
      const sim = await startSimulatorIfAvailable(options);
      if (sim !== undefined) {
        closers.push(() => sim.close());
        simulatorUrl = sim.url;
        Object.assign(settings, sim.settings);
      }
    }
    // Locally people's own tokens are on, with the simulator and with a real App alike (the README's
    // "dev: true"); a `.dev.vars` that sets ENABLE_GITHUB_USER_TOKENS wins below.
    settings.ENABLE_GITHUB_USER_TOKENS = "true";
    return { settings: { ...settings, ...nonEmpty(user) }, simulatorUrl, databaseEngine, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function nonEmpty(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ""));
}

interface StartedSimulator {
  url: string;
  settings: Record<string, string>;
  close(): Promise<void>;
}

/** Starts the GitHub simulator and seeds a GitHub App whose private key only this process knows. */
async function startSimulatorIfAvailable(options: LocalInfraOptions): Promise<StartedSimulator | undefined> {
  const entry = new URL("../../packages/github-sim/local/index.ts", import.meta.url);
  if (!existsSync(entry)) {
    options.log("github     simulator not available yet: set a real GitHub App in .dev.vars");
    return undefined;
  }
  const sim = await import(entry.href);
  const started = await sim.startSimulator({
    port: options.simulatorPort,
    persist: join(options.dataDir, "github-sim"),
  });
  const admin = sim.createSimAdmin(started.url);
  const keys = sim.generateAppKeyPair();
  const app = {
    id: 1001,
    slug: "gitcred-dev",
    name: "gitcred (dev)",
    clientId: "Iv23liGitcredDevApp",
    clientSecret: randomBytes(20).toString("hex"),
    webhookSecret: randomBytes(20).toString("hex"),
  };
  await admin.seedApp({
    ...app,
    publicKeyPem: keys.publicKeyPem,
    webhookUrl: `${options.publicUrl}/github/webhooks`,
    callbackUrls: [`${options.publicUrl}/github/callback`],
    // The App's Setup URL, as on github.com: after "Install" the simulator sends the person back to the
    // settings page, which claims the installation for their tenant (routes/install.ts).
    setupUrl: `${options.publicUrl}/github/setup`,
    setupOnUpdate: true,
  });
  options.log(`github     simulator on ${started.url} (App "${app.slug}" seeded; demo data: pnpm seed-demo)`);
  return {
    url: started.url,
    close: () => started.close(),
    settings: {
      GITHUB_API_URL: started.url,
      GITHUB_WEB_URL: started.url,
      GITHUB_APP_ID: String(app.id),
      GITHUB_APP_SLUG: app.slug,
      GITHUB_CLIENT_ID: app.clientId,
      GITHUB_CLIENT_SECRET: app.clientSecret,
      GITHUB_WEBHOOK_SECRET: app.webhookSecret,
      GITHUB_APP_PRIVATE_KEY: keys.privateKeyPkcs8Pem,
    },
  };
}
