/**
 * Vitest globalSetup for projects that reach only git-token over a service binding (the session worker's
 * tests): bundles just that worker, so a project does not pay for building workers it never loads.
 */
import { buildWorker, testBuildDir } from "./build-workers.ts";

export default function setup(): void {
  buildWorker("git-token", testBuildDir("session", "git-token"));
}
