import { WorkerEntrypoint } from "cloudflare:workers";
import type { WorkerHealth } from "@gitcred/client";
import { pingDatabase } from "@gitcred/db";

export { UserTokenRefresher } from "./user-token-refresher.ts";

/**
 * GitTokenService: the RPC surface other Workers bind to (`entrypoint = "GitTokenService"`).
 * It is never routed from the Internet; `fetch` answers 404 so an accidental route exposes nothing.
 */
export class GitTokenService extends WorkerEntrypoint<Env> {
  /** Liveness for the suite's /healthz: this worker and its database. */
  async health(): Promise<WorkerHealth> {
    const database = await pingDatabase(this.env, (p) => this.ctx.waitUntil(p));
    return { worker: "gitcred-git-token", ok: database.ok, database: database.ok ? "ok" : database.reason };
  }

  override async fetch(): Promise<Response> {
    return new Response("Not found", { status: 404 });
  }
}

export default GitTokenService;
