import type { RpcFailure } from "@gitcred/client";
import { DatabaseConfigError, isDatabaseUnavailable } from "@gitcred/db";
import { GitHubConfigError } from "@gitcred/github";
import { ConfigError, type Logger } from "@gitcred/utils";

/** Seconds a caller should wait after the database was unreachable. */
const DATABASE_RETRY_SECONDS = 5;

export type BoundaryFailure = RpcFailure<"internal_error" | "database_unavailable">;

/**
 * What a method answers for an error it threw, so that nothing is ever thrown across RPC (a thrown error
 * loses its type and may carry a request body). An unreachable database becomes `database_unavailable`
 * with a retry time; a configuration error becomes `internal_error` naming the setting (those messages
 * never hold values); anything else becomes a bare `internal_error`, logged through the redacting logger
 * as name + message.
 */
export function boundaryFailure(logger: Logger, method: string, error: unknown): BoundaryFailure {
  if (isDatabaseUnavailable(error)) {
    logger.warn("database unavailable", { method, error });
    return {
      ok: false,
      reason: "database_unavailable",
      message: "the database could not be reached",
      retryAfterSeconds: DATABASE_RETRY_SECONDS,
    };
  }
  if (
    error instanceof ConfigError ||
    error instanceof GitHubConfigError ||
    error instanceof DatabaseConfigError
  ) {
    logger.error("configuration error", { method, error });
    return { ok: false, reason: "internal_error", message: `configuration error: ${error.message}` };
  }
  logger.error("unexpected error", { method, error });
  return { ok: false, reason: "internal_error", message: "internal error" };
}

/** Runs one RPC method inside the boundary: what it throws is answered as `boundaryFailure` says. */
export async function runRpc<R>(
  logger: Logger,
  method: string,
  body: () => Promise<R>,
): Promise<R | BoundaryFailure> {
  try {
    return await body();
  } catch (error) {
    return boundaryFailure(logger, method, error);
  }
}
