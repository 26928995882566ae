/**
 * gitcred-git-token. Four named entrypoints, one per role, each binding getting the narrowest:
 * - `GitTokenService`: the platform's workers and the session worker (tokens, connection, claims);
 * - `GitTokenConnectBackend`: the connect worker (its flows and webhooks; no method returns a token);
 * - `GitTokenAdmin`: an operator's tool (erasure, the claims migration, stored connections);
 * - `GitTokenSessionAudit`: the session worker's git proxy (it records each push; nothing else).
 * The default export answers nothing: a binding that names no entrypoint gets no method at all.
 */
export { GitTokenAdmin } from "./entrypoints/git-token-admin.ts";
export { GitTokenConnectBackend } from "./entrypoints/git-token-connect-backend.ts";
export { GitTokenService } from "./entrypoints/git-token-service.ts";
export { GitTokenSessionAudit } from "./entrypoints/git-token-session-audit.ts";
export { UserTokenRefresher } from "./user-token-refresher.ts";

export default {
  async fetch(): Promise<Response> {
    return new Response("Not found", { status: 404 });
  },
} satisfies ExportedHandler<Env>;
