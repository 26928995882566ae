// Bindings only the tests get (see vitest.config.ts): the connect worker itself never reads the App id.
declare namespace Cloudflare {
  interface Env {
    GITHUB_APP_ID: string;
  }
}
