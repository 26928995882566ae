export type { WorkerHealth } from "./types.ts";
