import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "github-sim",
    environment: "node",
    include: ["node-test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
