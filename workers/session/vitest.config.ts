import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { auxiliaryWorker } from "../../test-support/auxiliary-worker.ts";
import { testBuildDir } from "../../test-support/build-workers.ts";
import { GIT_TOKEN_ROLE_BINDINGS } from "../../test-support/git-token-entrypoints.ts";

export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => {
      const github = {
        GITHUB_API_URL: inject("simUrl"),
        GITHUB_WEB_URL: inject("simUrl"),
        GITHUB_APP_ID: inject("githubAppId"),
        GITHUB_CLIENT_ID: inject("githubClientId"),
        GITHUB_CLIENT_SECRET: inject("githubClientSecret"),
      };
      return {
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          // The session worker itself needs only GITHUB_API_URL; the rest lets tests act as the person
          // (OAuth at the simulator) and seed the App's installations.
          bindings: { ...github, GITHUB_APP_SLUG: inject("githubAppSlug") },
          // The tests also act as the connect worker (connecting a person) and as an operator (storing a
          // pair with a chosen expiry): each through its own entrypoint, as those workers bind it.
          serviceBindings: { ...GIT_TOKEN_ROLE_BINDINGS },
          workers: [
            auxiliaryWorker(
              "git-token",
              {
                ...github,
                GITHUB_APP_SLUG: inject("githubAppSlug"),
                GITHUB_APP_PRIVATE_KEY: inject("githubAppPrivateKey"),
                TOKEN_ENCRYPTION_KEYS: inject("tokenEncryptionKeys"),
                DATABASE_URL: inject("databaseUrl"),
                DB_WS_PROXY: inject("dbWsProxy"),
                ENABLE_GITHUB_USER_TOKENS: "true",
              },
              testBuildDir("session", "git-token"),
            ),
          ],
        },
      };
    }),
  ],
  test: {
    name: "session",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: [
      "../../test-support/global-setup.ts",
      "../../test-support/with-simulator.ts",
      "../../test-support/build-git-token.ts",
    ],
    setupFiles: ["./test/leak-scan.setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
