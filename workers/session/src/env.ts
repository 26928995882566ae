/**
 * The session worker's bindings: the `Env` that `pnpm types` generates from workers/session/wrangler.toml
 * (GIT_TOKEN typed with git-token's consumer contract, `Service<GitTokenRpc>`, as any platform worker
 * would type it).
 */
export type SessionEnv = Env;
