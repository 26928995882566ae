/**
 * Bundles the simulator worker (src/index.ts) into one ES module for Miniflare, with esbuild (the
 * version wrangler uses). Cached per process.
 */
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/** Absolute path of the worker entry. */
export const workerEntry = fileURLToPath(new URL("../src/index.ts", import.meta.url));

let cached: Promise<string> | undefined;

/** The bundled worker source. */
export function bundleWorker(): Promise<string> {
  cached ??= build({
    entryPoints: [workerEntry],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2023",
    conditions: ["workerd", "worker", "browser"],
    external: ["cloudflare:*", "node:*"],
    logLevel: "silent",
  }).then((r) => {
    const out = r.outputFiles[0];
    if (!out) throw new Error("github-sim: esbuild produced no output");
    return out.text;
  });
  return cached;
}
