/**
 * Shared types of @gitcred/utils. Everything here is plain data: results cross Worker RPC
 * (structured clone), where class instances and thrown errors lose their type.
 */

/** A success; the payload's fields sit beside `ok` so callers destructure them directly. */
export type Ok<T extends object> = { ok: true } & T;

/**
 * An expected failure. `reason` is a stable machine-readable code callers switch on; `message` is for
 * humans and must never carry a secret; `retryAfterSeconds` tells transient failures when to retry.
 */
export type Failure<R extends string> = {
  ok: false;
  reason: R;
  message?: string;
  retryAfterSeconds?: number;
};

/** What every RPC method returns instead of throwing for an expected outcome. */
export type Result<T extends object, R extends string> = Ok<T> | Failure<R>;

/** Log severities, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** Structured fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/** Receives every emitted log line (one JSON object, no newline) with its level. */
export type LogSink = (line: string, level: LogLevel) => void;

/** A structured logger whose every line is redacted before it reaches the sink. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose lines also carry `fields` (e.g. a request id). */
  child(fields: LogFields): Logger;
}

/** What is safe to log about an error: never its request body, headers or response data. */
export type ErrorFields = { name: string; status?: number; message: string; cause?: ErrorFields };

/**
 * Parsed encryption keys. Keys are non-extractable CryptoKeys, so key material cannot be read
 * back (or logged) from a Keyring. The first key (`primaryKeyId`) encrypts; every key decrypts.
 */
export type Keyring = {
  readonly primaryKeyId: string;
  /** All key ids in configuration order; the first is the primary. */
  readonly keyIds: readonly string[];
  readonly keys: ReadonlyMap<string, CryptoKey>;
};

/** Outcome of `parseInput`: a typed value, or an `invalid_request` failure safe to return over RPC. */
export type ParseInputResult<T> =
  | { ok: true; value: T }
  | { ok: false; reason: "invalid_request"; message: string };
