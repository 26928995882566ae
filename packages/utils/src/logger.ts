// The only module allowed to touch `console` (biome override): the default sink and the global
// sink/level state every logger writes through.
import type { LogLevel, LogSink } from "./types.ts";

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * Writes a line to the console: workerd turns console output into Workers Logs / `wrangler tail`
 * entries, with the level mapped to the console method.
 */
export const consoleSink: LogSink = (line, level) => {
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
};

let currentSink: LogSink = consoleSink;
let minimumLevel: LogLevel = "info";

/**
 * Replaces where every logger writes (tests capture all lines and scan them for secrets); `null`
 * restores the console. Global on purpose: loggers are created at module load, before tests run.
 */
export function setLogSink(sink: LogSink | null): void {
  currentSink = sink ?? consoleSink;
}

/** Lines below `level` are dropped before any work is done (default "info": debug is opt-in). */
export function setLogLevel(level: LogLevel): void {
  if (!(level in LEVEL_RANK)) throw new TypeError(`unknown log level: ${String(level).slice(0, 20)}`);
  minimumLevel = level;
}

/** Whether a line at `level` would be written now. */
export function isLogLevelEnabled(level: LogLevel): boolean {
  return LEVEL_RANK[level] >= LEVEL_RANK[minimumLevel];
}

/**
 * Hands a finished (already redacted) line to the sink. A failing sink must not turn logging into an
 * outage: the line falls back to the console and the sink's error is swallowed.
 */
export function writeLogLine(line: string, level: LogLevel): void {
  try {
    currentSink(line, level);
  } catch {
    if (currentSink !== consoleSink) console.error(line);
  }
}
