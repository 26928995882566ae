import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      miniflare: {
        compatibilityDate: "2026-10-01",
        compatibilityFlags: ["nodejs_compat"],
        bindings: {
          SIM_URL: inject("simUrl"),
          GITHUB_APP_ID: inject("githubAppId"),
          GITHUB_CLIENT_ID: inject("githubClientId"),
          GITHUB_CLIENT_SECRET: inject("githubClientSecret"),
          GITHUB_APP_PRIVATE_KEY: inject("githubAppPrivateKey"),
        },
      },
    })),
  ],
  test: {
    name: "github",
    include: ["src/**/*.test.ts"],
    globalSetup: ["../../test-support/with-simulator.ts"],
    // One simulator: its fault rules are global, so files run one after another.
    fileParallelism: false,
  },
});
