/**
 * Runs a devDependency's command-line tool with this very Node, found through the package's own `bin`
 * field. Prevents: scripts and test setups that spawn `pnpm exec <tool>` and fail (exit 1, nothing said)
 * on a machine where pnpm is not on PATH, or run a global tool of another version.
 */
import { readFileSync, realpathSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..", "..");

interface PackageJson {
  name: string;
  bin?: string | Record<string, string>;
}

/** The JavaScript file behind `bin` (default: the package's own name) of a root devDependency. */
export function toolScript(pkg: string, bin = pkg.split("/").at(-1) ?? pkg): string {
  const manifestPath = realpathSync(join(root, "node_modules", pkg, "package.json"));
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as PackageJson;
  const entry = typeof manifest.bin === "string" ? manifest.bin : manifest.bin?.[bin];
  if (entry === undefined) throw new Error(`${pkg} has no "${bin}" command (package.json bin)`);
  return join(dirname(manifestPath), entry);
}

/** `[command, args]` for spawn/spawnSync: `node <tool's script> ...args`. */
export function toolCommand(pkg: string, args: string[], bin?: string): [string, string[]] {
  return [process.execPath, [toolScript(pkg, bin), ...args]];
}
