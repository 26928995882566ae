// Bindings only the tests get (see vitest.config.ts): the connect worker itself never reads the App id.
declare namespace Cloudflare {
  interface Env {
    GITHUB_APP_ID: string;
    /** git-token's operator entrypoint (erasure tests). */
    GIT_TOKEN_ADMIN: Service<import("@gitcred/client").GitTokenAdminRpc>;
    /** git-token's push audit, as the session worker's git proxy binds it (activity tests). */
    GIT_TOKEN_AUDIT: Service<import("@gitcred/client").GitTokenSessionAuditRpc>;
    /** The session worker as an agent platform binds it (SessionService): the tests prepare sessions. */
    SESSION_PLATFORM: Service<import("@gitcred/client").SessionRpc>;
  }
}
