/**
 * `pnpm test:reliability`: the reliability run (docs/RELIABILITY.md). One suite of the three workers as
 * deployed, Postgres and the GitHub simulator, started once by harness/setup.ts; the test files run one
 * after another in file-name order (the canary scan, 99-, last) and each records its figures; the
 * report is written when the run ends, also when a goal is missed (then the run fails).
 */

import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

class ByFileName extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort((a, b) => a.moduleId.localeCompare(b.moduleId));
  }
}

export default defineConfig({
  test: {
    name: "reliability",
    root: import.meta.dirname,
    environment: "node",
    include: ["*.test.ts"],
    globalSetup: ["./harness/setup.ts"],
    fileParallelism: false,
    sequence: { sequencer: ByFileName },
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
