import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { auxiliaryWorker } from "../../test-support/auxiliary-worker.ts";
import { testBuildDir } from "../../test-support/build-workers.ts";
import { GIT_TOKEN_ROLE_BINDINGS } from "../../test-support/git-token-entrypoints.ts";
import { WEBHOOK_SECRET } from "./test/constants.ts";

export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => {
      const database = { DATABASE_URL: inject("databaseUrl"), DB_WS_PROXY: inject("dbWsProxy") };
      const github = {
        GITHUB_API_URL: inject("simUrl"),
        GITHUB_WEB_URL: inject("simUrl"),
        GITHUB_APP_ID: inject("githubAppId"),
        GITHUB_APP_SLUG: inject("githubAppSlug"),
        GITHUB_CLIENT_ID: inject("githubClientId"),
        GITHUB_CLIENT_SECRET: inject("githubClientSecret"),
      };
      const shared = { ...database, ...github, ENABLE_GITHUB_USER_TOKENS: "true" };
      const keys = { TOKEN_ENCRYPTION_KEYS: inject("tokenEncryptionKeys") };
      return {
        wrangler: { configPath: "../../wrangler.toml" },
        miniflare: {
          bindings: {
            ...shared,
            ...keys,
            PUBLIC_URL: "http://127.0.0.1:8787",
            GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET,
            // Only for the canary scan: the connect worker itself never reads the App's private key.
            GITHUB_APP_PRIVATE_KEY: inject("githubAppPrivateKey"),
          },
          // The operator's entrypoint, for the erasure tests only, the session worker's push audit, so a
          // test can record a push as the git proxy does, and SessionService (the connect worker binds none).
          serviceBindings: {
            GIT_TOKEN_ADMIN: GIT_TOKEN_ROLE_BINDINGS.GIT_TOKEN_ADMIN,
            GIT_TOKEN_AUDIT: GIT_TOKEN_ROLE_BINDINGS.GIT_TOKEN_AUDIT,
            // The session worker as a platform binds it, so tests can prepare sessions; the connect
            // worker's own SESSION binding (SessionConnect) has no such method.
            SESSION_PLATFORM: {
              name: "gitcred-session",
              entrypoint: "SessionService",
              props: { caller: "test-platform" },
            },
          },
          workers: [
            auxiliaryWorker(
              "git-token",
              { ...shared, ...keys, GITHUB_APP_PRIVATE_KEY: inject("githubAppPrivateKey") },
              testBuildDir("connect", "git-token"),
            ),
            auxiliaryWorker("session", {}, testBuildDir("connect", "session")),
          ],
        },
      };
    }),
  ],
  test: {
    name: "connect",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: [
      "../../test-support/global-setup.ts",
      "../../test-support/with-simulator.ts",
      "../../test-support/build-workers.ts",
    ],
    setupFiles: ["./test/canary-scan.setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
