/** Where the reliability run keeps what its parts hand each other (all under test-results/, ignored). */
import { join, resolve } from "node:path";

export const repoRoot = resolve(import.meta.dirname, "../../..");
export const outDir = join(repoRoot, "test-results", "reliability");
/** Each test file's figures, one JSON file per section. */
export const figuresDir = join(outDir, "figures");
/** Everything the tests saw come back (RPC results without token fields, HTTP bodies, redirect URLs). */
export const observedDir = join(outDir, "observed");
export const reportPath = join(repoRoot, "docs", "RELIABILITY.md");
