import { redact } from "./redact.ts";
import type { ErrorFields } from "./types.ts";

const MAX_NAME = 100;
const MAX_MESSAGE = 1000;

function read(source: object, key: string): unknown {
  try {
    return (source as Record<string, unknown>)[key];
  } catch {
    // A throwing getter or a revoked Proxy must not turn logging an error into a new error.
    return undefined;
  }
}

function bounded(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * Reduces an error to what is safe to log: name, HTTP status and redacted message. Octokit's
 * RequestError keeps `request.body` (client_secret, refresh_token, code), `request.headers`
 * (authorization) and `response.data`; fetch errors can carry URLs with credentials. None of those
 * properties is ever read here, and the message itself goes through `redact`.
 */
export function errorFields(err: unknown): ErrorFields {
  return fieldsOf(err, 0);
}

/** Causes are followed a few levels: a driver's "Failed query" says little without the server's reason. */
const MAX_CAUSE_DEPTH = 3;

function fieldsOf(err: unknown, depth: number): ErrorFields {
  if (typeof err !== "object" || err === null) {
    const message = typeof err === "string" ? err : err === undefined ? "undefined" : String(err);
    return { name: "Error", message: bounded(redact(message), MAX_MESSAGE) };
  }
  const rawName = read(err, "name");
  const rawMessage = read(err, "message");
  const rawStatus = read(err, "status");
  const fields: ErrorFields = {
    name: bounded(redact(typeof rawName === "string" && rawName !== "" ? rawName : "Error"), MAX_NAME),
    message: bounded(redact(typeof rawMessage === "string" ? rawMessage : ""), MAX_MESSAGE),
  };
  if (typeof rawStatus === "number" && Number.isInteger(rawStatus)) fields.status = rawStatus;
  const cause = read(err, "cause");
  if (cause !== undefined && cause !== null && cause !== err && depth < MAX_CAUSE_DEPTH) {
    fields.cause = fieldsOf(cause, depth + 1);
  }
  return fields;
}
