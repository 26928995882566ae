import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "git-credential",
    environment: "node",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["./test/build-cli.setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
