import { classifyFailure } from "./classify-failure.ts";
import { unreachable } from "./github-gate.ts";
import { GateRefusal } from "./octokit-request.ts";
import type { GitHubEndpoints, GitHubFailure } from "./types.ts";

/** The parts of octokit's RequestError read here (duck-typed: each octokit package may bundle its own). */
interface OctokitRequestError {
  name: string;
  status: number;
  cause?: unknown;
  response?: { status: number; headers: Record<string, string | number | undefined>; data: unknown };
}

function isOctokitRequestError(error: unknown): error is OctokitRequestError {
  return (
    error instanceof Error &&
    (error.name === "HttpError" || error.name === "AbortError") &&
    typeof (error as { status?: unknown }).status === "number"
  );
}

function headersOf(raw: Record<string, string | number | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) if (value !== undefined) headers.set(name, String(value));
  return headers;
}

/**
 * Reduces what an octokit call threw to a typed failure of status and message. octokit's RequestError
 * carries the request it made, body included (a refresh token, a client secret, an installation
 * token's scope): it must never reach a log or a caller, so only GitHub's status, headers and answer
 * are read, through the same classification as every other GitHub answer. Anything that is not a
 * request error is a bug of ours and is thrown on.
 */
export function fromOctokitError(error: unknown, endpoints: GitHubEndpoints): GitHubFailure {
  if (error instanceof GateRefusal) return error.failure;
  if (!isOctokitRequestError(error)) throw error;
  if (error.cause instanceof GateRefusal) return error.cause.failure;
  const response = error.response;
  if (response === undefined) return unreachable(error);
  return classifyFailure(
    response.status,
    headersOf(response.headers),
    response.data,
    endpoints.now ?? Date.now,
  );
}
