/**
 * Vitest globalSetup shared by the workerd test projects: starts the Postgres for this project's run
 * and hands its coordinates to the Workers pool through `provide` (read with `inject` in the config).
 */
import type { TestProject } from "vitest/node";
import { startTestPostgres } from "./postgres.ts";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    dbWsProxy: string;
    databaseEngine: "postgresql" | "embedded";
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const postgres = await startTestPostgres({
    label: project.name,
    forceEmbedded: process.env.GITCRED_TEST_EMBEDDED_PG === "1",
  });
  project.provide("databaseUrl", postgres.databaseUrl);
  project.provide("dbWsProxy", postgres.wsProxy);
  project.provide("databaseEngine", postgres.engine);
  return () => postgres.close();
}
