export type * from "./git-token.ts";
export type { WorkerHealth } from "./types.ts";
