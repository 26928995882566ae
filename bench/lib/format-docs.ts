/**
 * Generated Markdown goes through the repository's formatter (Biome formats Markdown, and `pnpm lint`
 * checks it), so a regenerated report never fails the lint step.
 */
import { spawnSync } from "node:child_process";
import { toolCommand } from "../../scripts/local/tool.ts";
import { root } from "./build.ts";

/** Formats generated Markdown with Biome so `pnpm lint` accepts it as written. */
export function formatDocs(paths: string[]): void {
  const [command, args] = toolCommand("@biomejs/biome", ["format", "--write", ...paths], "biome");
  const result = spawnSync(command, args, {
    cwd: root,
    encoding: "utf8",
  });
  if (result.status !== 0)
    console.warn(`biome could not format ${paths.join(", ")}: ${result.stderr.slice(0, 500)}`);
}
