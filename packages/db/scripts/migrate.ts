/** `pnpm migrate`: applies migrations to DATABASE_URL (a real Postgres or Neon's direct TCP URL). */
import { applyMigrations } from "../local/migrate.ts";

const url = process.env.DATABASE_URL;
if (url === undefined || url === "") {
  console.error("DATABASE_URL is not set. Example: DATABASE_URL=postgres://user:pass@host/db pnpm migrate");
  process.exit(1);
}
await applyMigrations(url);
console.log("migrations applied");
