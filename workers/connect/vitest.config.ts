import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { auxiliaryWorker } from "../../test-support/auxiliary-worker.ts";

export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => {
      const database = { DATABASE_URL: inject("databaseUrl"), DB_WS_PROXY: inject("dbWsProxy") };
      return {
        wrangler: { configPath: "../../wrangler.toml" },
        miniflare: {
          bindings: { ...database },
          workers: [auxiliaryWorker("git-token", database), auxiliaryWorker("session", {})],
        },
      };
    }),
  ],
  test: {
    name: "connect",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["../../test-support/global-setup.ts", "../../test-support/build-workers.ts"],
  },
});
