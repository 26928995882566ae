import { WorkerEntrypoint } from "cloudflare:workers";
import type { WorkerHealth } from "@gitcred/client";

export { CloudAgentSession } from "./cloud-agent-session.ts";

/** SessionService: RPC for the agent platform, plus the small HTTP API sandboxes reach with their secret. */
export class SessionService extends WorkerEntrypoint<Env> {
  /** Liveness for the suite's /healthz: this worker and its link to git-token. */
  async health(): Promise<WorkerHealth> {
    const gitToken = await this.env.GIT_TOKEN.health().catch(() => undefined);
    return {
      worker: "gitcred-session",
      ok: gitToken?.ok === true,
      gitToken: gitToken === undefined ? "unreachable" : gitToken.ok ? "ok" : "unhealthy",
    };
  }

  override async fetch(): Promise<Response> {
    return new Response("Not found", { status: 404 });
  }
}

export default SessionService;
