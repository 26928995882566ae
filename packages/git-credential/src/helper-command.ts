import { fileURLToPath } from "node:url";

/** Quotes one word for the POSIX shell git runs `!` helpers and hooks with. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** This CLI as a shell command: the running Node and this script, both absolute, so PATH does not matter. */
export function cliCommand(): string {
  const script = process.argv[1] ?? fileURLToPath(import.meta.url);
  return `${shellQuote(process.execPath)} ${shellQuote(script)}`;
}

/** The `credential.helper` value: git appends `get`, `store` or `erase`. */
export function helperCommand(configPath: string | undefined): string {
  return `!${cliCommand()}${configPath === undefined ? "" : ` --config ${shellQuote(configPath)}`}`;
}
