import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      miniflare: {
        compatibilityDate: "2026-10-01",
        compatibilityFlags: ["nodejs_compat"],
        bindings: { DATABASE_URL: inject("databaseUrl"), DB_WS_PROXY: inject("dbWsProxy") },
      },
    })),
  ],
  test: {
    name: "db",
    include: ["src/**/*.test.ts"],
    globalSetup: ["../../test-support/global-setup.ts"],
  },
});
