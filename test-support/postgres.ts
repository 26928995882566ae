/**
 * The Postgres a test run (or `pnpm dev`, or the benchmark) uses: the machine's PostgreSQL when
 * `DATABASE_URL` is set (a fresh database is created for the run and dropped after), else the embedded
 * engine (PGlite). Either way the workers reach it through the local WebSocket proxy, as Neon in
 * production, and the committed migrations are applied first.
 */
import { randomBytes } from "node:crypto";
import {
  applyMigrations,
  createDatabase,
  dropDatabase,
  startEmbeddedPostgres,
  startWsProxy,
  type WsProxy,
} from "../packages/db/local/index.ts";

export interface TestPostgres {
  /** The URL the workers get as DATABASE_URL (reached through the proxy). */
  readonly databaseUrl: string;
  /** `host:port` for the workers' DB_WS_PROXY. */
  readonly wsProxy: string;
  readonly engine: "postgresql" | "embedded";
  /** The proxy itself: connection counts and fault injection (dropped connections). */
  readonly proxy: WsProxy;
  close(): Promise<void>;
}

export async function startTestPostgres(options: {
  label: string;
  forceEmbedded?: boolean;
}): Promise<TestPostgres> {
  const adminUrl = options.forceEmbedded ? undefined : process.env.DATABASE_URL;
  if (adminUrl !== undefined && adminUrl !== "") {
    const name = `gitcred_${options.label.replace(/[^a-z0-9]/g, "_")}_${randomBytes(4).toString("hex")}`;
    const databaseUrl = await createDatabase(adminUrl, name);
    await applyMigrations(databaseUrl);
    const proxy = await startWsProxy();
    return {
      databaseUrl,
      wsProxy: proxy.hostPort,
      engine: "postgresql",
      proxy,
      close: async () => {
        await proxy.close();
        await dropDatabase(adminUrl, name);
      },
    };
  }
  const embedded = await startEmbeddedPostgres();
  await applyMigrations(embedded.url);
  const proxy = await startWsProxy();
  return {
    databaseUrl: embedded.url,
    wsProxy: proxy.hostPort,
    engine: "embedded",
    proxy,
    close: async () => {
      await proxy.close();
      await embedded.close();
    },
  };
}
