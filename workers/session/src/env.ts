import type { GitTokenRpc } from "@gitcred/client";
import type { CloudAgentSession } from "./cloud-agent-session.ts";

/**
 * The session worker's bindings (workers/session/wrangler.toml). Written out instead of using the generated
 * global `Env` on purpose: that one types GIT_TOKEN from git-token's source, so every project that checks
 * session code would also check git-token's code against the wrong globals. The session codes against
 * git-token's consumer contract (`GitTokenRpc` in @gitcred/client), as any platform worker does. (The
 * generated worker-configuration.d.ts is kept current by `pnpm types` but not part of this tsconfig.)
 */
export interface SessionEnv {
  /** Unused by the session itself (git-token decides); kept so settings stay uniform across workers. */
  ENABLE_GITHUB_USER_TOKENS?: string;
  /** GitHub's REST API, for checking a token a git server refused. */
  GITHUB_API_URL?: string;
  SESSIONS: DurableObjectNamespace<CloudAgentSession>;
  GIT_TOKEN: Service<GitTokenRpc>;
}
