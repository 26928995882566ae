import { defineConfig } from "vitest/config";

/** Real Chromium against the three workers wired as in `pnpm dev`, the simulator and Postgres. */
export default defineConfig({
  test: {
    name: "connect-e2e",
    environment: "node",
    include: ["e2e/**/*.test.ts"],
    globalSetup: [
      "../../test-support/global-setup.ts",
      "../../test-support/with-simulator.ts",
      "../../test-support/build-all-workers.ts",
      "../../test-support/start-suite.ts",
    ],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
