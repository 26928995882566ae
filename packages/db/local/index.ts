export { type EmbeddedPostgres, startEmbeddedPostgres } from "./embedded-postgres.ts";
export { applyMigrations, createDatabase, dropDatabase, migrationsFolder } from "./migrate.ts";
export { startWsProxy, type WsProxy } from "./ws-proxy.ts";
