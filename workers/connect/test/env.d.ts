// Bindings only the tests get (see vitest.config.ts): the connect worker itself never reads the App id.
declare namespace Cloudflare {
  interface Env {
    GITHUB_APP_ID: string;
    /** git-token's operator entrypoint (erasure tests). */
    GIT_TOKEN_ADMIN: Service<import("@gitcred/client").GitTokenAdminRpc>;
  }
}
