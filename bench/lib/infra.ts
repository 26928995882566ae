/**
 * What every benchmark phase stands on: a fresh migrated database on a real PostgreSQL, the WebSocket
 * proxy the Neon driver needs locally, and the GitHub simulator with a freshly seeded App and key.
 * Loopback only. The server is a private one (test-support/private-postgres.ts) with max_connections
 * 400 when the PostgreSQL binaries are installed — gitcred opens a connection per request, as Neon's
 * pooled endpoint (up to 10,000 clients) expects, and the 200-caller storm would otherwise hit the
 * default limit of 100 instead of measuring the refresh; else DATABASE_URL or the machine's server on
 * 127.0.0.1:5432; the embedded engine only as a last resort. The report names which.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import {
  createSimAdmin,
  generateAppKeyPair,
  type RunningSimulator,
  type SimAdmin,
  startSimulator,
} from "../../packages/github-sim/local/index.ts";
import { startTestPostgres, type TestPostgres } from "../../test-support/postgres.ts";
import {
  findPostgresBinaries,
  type PrivatePostgres,
  startPrivatePostgres,
} from "../../test-support/private-postgres.ts";
import type { SuiteApp } from "../../test-support/suite.ts";

const LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres";

/** DATABASE_URL, else the local server if it accepts a connection within a second, else undefined. */
export async function findPostgres(): Promise<string | undefined> {
  const configured = process.env.DATABASE_URL;
  if (configured !== undefined && configured !== "") return configured;
  const client = new pg.Client({ connectionString: LOCAL_POSTGRES, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.end();
    return LOCAL_POSTGRES;
  } catch {
    return undefined;
  }
}

export interface Infra {
  postgres: TestPostgres;
  /** What the database runs on, for the report. */
  server: string;
  /** The private server, when the run has one (it may be restarted and stopped: nobody else uses it). */
  privateServer: PrivatePostgres | undefined;
  /** For direct SQL from Node (expiring rows, reading versions); closed with the infra. */
  sql: pg.Pool;
  sim: RunningSimulator;
  admin: SimAdmin;
  app: SuiteApp & { numericId: number };
  tokenEncryptionKeys: string;
  webhookSecret: string;
  close(): Promise<void>;
}

/** `webhookUrl`: where the simulator sends the App's webhooks (the suite's connect worker), if anywhere. */
export async function startInfra(label: string, options: { webhookUrl?: string } = {}): Promise<Infra> {
  let server: PrivatePostgres | undefined;
  let adminUrl: string | undefined;
  let serverName: string;
  if (findPostgresBinaries() !== undefined) {
    server = await startPrivatePostgres({ maxConnections: 400 });
    adminUrl = server.adminUrl;
    serverName = "PostgreSQL (a private server of the run, max_connections=400)";
  } else {
    adminUrl = await findPostgres();
    serverName =
      adminUrl === undefined ? "embedded PGlite (no PostgreSQL found)" : "PostgreSQL (DATABASE_URL)";
  }
  // The private server is this phase's: DATABASE_URL points at it while the phase runs, and is put
  // back on close, so a later phase (P6's suite) never reaches a server that has been stopped.
  const previousDatabaseUrl = process.env.DATABASE_URL;
  if (adminUrl !== undefined) process.env.DATABASE_URL = adminUrl;
  const postgres = await startTestPostgres({ label, forceEmbedded: adminUrl === undefined });
  const sql = new pg.Pool({ connectionString: postgres.databaseUrl, max: 4 });
  const sim = await startSimulator();
  const admin = createSimAdmin(sim.url);
  const keys = generateAppKeyPair();
  const webhookSecret = randomBytes(16).toString("hex");
  const seeded = await admin.seedApp({
    slug: `gitcred-${label}-${randomBytes(3).toString("hex")}`,
    publicKeyPem: keys.publicKeyPem,
    permissions: { contents: "write", metadata: "read" },
    webhookSecret,
    ...(options.webhookUrl === undefined ? {} : { webhookUrl: options.webhookUrl }),
  });
  await admin.setSession({ autoApprove: "approve" });
  // One address makes every call here; GitHub counts Basic-auth calls per App, the simulator per address.
  await admin.setSettings({ rateLimitUnauthenticated: 1_000_000 });
  return {
    postgres,
    server: serverName,
    privateServer: server,
    sql,
    sim,
    admin,
    app: {
      id: String(seeded.id),
      numericId: seeded.id,
      slug: seeded.slug,
      clientId: seeded.clientId,
      clientSecret: seeded.clientSecret,
      privateKeyPem: keys.privateKeyPkcs1Pem,
    },
    tokenEncryptionKeys: `bench:${randomBytes(32).toString("base64")}`,
    webhookSecret,
    close: async () => {
      await sql.end();
      await sim.close();
      await postgres.close();
      server?.close();
      if (previousDatabaseUrl === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = previousDatabaseUrl;
    },
  };
}
