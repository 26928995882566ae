export type * from "./connect.ts";
export type * from "./connection.ts";
export type * from "./git-token.ts";
export type * from "./installation-claims.ts";
export type * from "./push-audit.ts";
export type * from "./session.ts";
export type * from "./session-http.ts";
export type * from "./settings-page.ts";
export type { WorkerHealth } from "./types.ts";
