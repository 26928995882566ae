import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          DATABASE_URL: inject("databaseUrl"),
          DB_WS_PROXY: inject("dbWsProxy"),
          GITHUB_API_URL: inject("simUrl"),
          GITHUB_WEB_URL: inject("simUrl"),
          ENABLE_GITHUB_USER_TOKENS: "true",
          GITHUB_APP_ID: inject("githubAppId"),
          GITHUB_APP_SLUG: inject("githubAppSlug"),
          GITHUB_CLIENT_ID: inject("githubClientId"),
          GITHUB_CLIENT_SECRET: inject("githubClientSecret"),
          GITHUB_APP_PRIVATE_KEY: inject("githubAppPrivateKey"),
          TOKEN_ENCRYPTION_KEYS: inject("tokenEncryptionKeys"),
          GITHUB_WEBHOOK_SECRET: "unused-by-git-token",
        },
      },
    })),
  ],
  test: {
    name: "git-token",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["../../test-support/global-setup.ts", "../../test-support/with-simulator.ts"],
    setupFiles: ["./test/leak-scan.setup.ts"],
    // One simulator per run: fault, latency and clock rules are global, so files run one after another.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
