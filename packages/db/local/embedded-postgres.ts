/**
 * The embedded Postgres engine (PGlite behind its socket server) for machines without a Postgres.
 * PGlite runs every connection through one session: correct, but a transaction waiting on another
 * connection deadlocks there, so concurrency tests need a real PostgreSQL (`DATABASE_URL`).
 */
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export interface EmbeddedPostgres {
  /** A `postgres://` URL for clients that speak TCP (the migrator, the WebSocket proxy). */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Starts PGlite; `dataDir` keeps data across restarts (dev), none keeps it in memory (tests). */
export async function startEmbeddedPostgres(
  options: { dataDir?: string; port?: number } = {},
): Promise<EmbeddedPostgres> {
  if (options.dataDir !== undefined) mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir ?? "memory://");
  const port = options.port ?? 0;
  const server = new PGLiteSocketServer({ db, port, host: "127.0.0.1", maxConnections: 256 });
  await server.start();
  const conn = server.getServerConn();
  const actualPort = Number(conn.slice(conn.lastIndexOf(":") + 1));
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${actualPort}/postgres`,
    port: actualPort,
    close: async () => {
      await server.stop();
      await db.close();
    },
  };
}
