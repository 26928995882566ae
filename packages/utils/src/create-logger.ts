import { errorFields } from "./error-fields.ts";
import { isLogLevelEnabled, writeLogLine } from "./logger.ts";
import { REDACTED, redact } from "./redact.ts";
import { redactValue } from "./redact-value.ts";
import type { LogFields, Logger, LogLevel } from "./types.ts";

// Keeps one line bounded (Workers Logs truncates large entries) while leaving room for real context.
const MAX_STRING = 4096;
const RESERVED = new Set(["level", "time", "msg"]);

function safeFields(fields: LogFields | undefined): Record<string, unknown> {
  if (fields === undefined) return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    // An `error` field is reduced to name/status/message: octokit errors carry the request body.
    out[key] = key === "error" ? errorFields(value) : value;
  }
  const redacted = redactValue(out, { maxStringLength: MAX_STRING });
  return typeof redacted === "object" && redacted !== null ? (redacted as Record<string, unknown>) : {};
}

function serialize(level: LogLevel, message: string, context: Record<string, unknown>): string {
  const entry: Record<string, unknown> = {
    level,
    time: new Date().toISOString(),
    msg: redactValue(message, { maxStringLength: MAX_STRING }),
  };
  for (const [key, value] of Object.entries(context)) {
    // A field cannot overwrite level/time/msg and so cannot disguise what the line is.
    entry[RESERVED.has(key) ? `_${key}` : key] = value;
  }
  let line: string;
  try {
    line = JSON.stringify(entry);
  } catch {
    line = JSON.stringify({ level, time: entry.time, msg: entry.msg, log_error: "unserializable fields" });
  }
  // Belt and braces: whatever slipped past the structured pass is caught on the finished text.
  const checked = redact(line);
  if (checked === line) return checked;
  try {
    JSON.parse(checked);
    return checked;
  } catch {
    return JSON.stringify({
      level,
      time: entry.time,
      msg: REDACTED,
      log_error: "line withheld by redaction",
    });
  }
}

function build(context: Record<string, unknown>): Logger {
  const emit = (level: LogLevel, message: string, fields?: LogFields): void => {
    if (!isLogLevelEnabled(level)) return;
    try {
      writeLogLine(serialize(level, message, { ...context, ...safeFields(fields) }), level);
    } catch {
      // Logging must never throw into the code that logs.
    }
  };
  return {
    debug: (message, fields) => emit("debug", message, fields),
    info: (message, fields) => emit("info", message, fields),
    warn: (message, fields) => emit("warn", message, fields),
    error: (message, fields) => emit("error", message, fields),
    child: (fields) => build({ ...context, ...safeFields(fields) }),
  };
}

/**
 * The only way code in gitcred should log (DESIGN.md invariant 3). Each call writes one JSON line
 * `{"level","time","msg",...bindings,...fields}` through the global sink; message, bindings and
 * fields are deep-redacted (`redactValue`), an `error` field shrinks to `errorFields`, and the
 * serialized line is redacted again, so a token, a request body or a CR/LF cannot reach the logs.
 */
export function createLogger(bindings: { worker: string } & LogFields): Logger {
  return build(safeFields(bindings));
}
