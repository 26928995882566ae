import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Writes the session (`contents`: the config, with the proxy mode when it is one) to
 * `<git-dir>/gitcred/session.json`, mode 0600 in a 0700 directory, never committed; returns its path.
 */
export function writeSessionFile(gitDir: string, contents: object): string {
  const stateDir = join(gitDir, "gitcred");
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const configPath = join(stateDir, "session.json");
  writeFileSync(configPath, `${JSON.stringify(contents)}\n`, { mode: 0o600 });
  chmodSync(configPath, 0o600);
  return configPath;
}
