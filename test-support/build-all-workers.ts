/** Vitest globalSetup for end-to-end projects: bundles all three workers (see build-workers.ts). */
import { buildWorker } from "./build-workers.ts";

export default function setup(): void {
  for (const name of ["connect", "git-token", "session"]) buildWorker(name);
}
