import { defineConfig } from "vitest/config";

/**
 * connect-e2e's key scenarios again, against the simulator as GitHub Enterprise Server (REST under
 * `/api/v3`, OAuth and device pages at the root, the install page at `/github-apps/<slug>`) minting
 * stateless ~520-character `ghs_<appid>_<JWT>` installation tokens: the web flow, the device flow and the
 * install flow, where the two layouts differ. The rest of connect-e2e does not depend on the layout and
 * runs once (CI time).
 */
export default defineConfig({
  test: {
    name: "connect-e2e-ghes",
    environment: "node",
    include: ["e2e/install-flow.test.ts", "e2e/settings-page.test.ts"],
    testNamePattern: /install page|approve at GitHub|device flow/,
    provide: { githubFlavor: "ghes", githubTokenFormat: "stateless" },
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
