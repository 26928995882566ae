import type { GetTokenForRepoResult } from "@gitcred/client";
import { insertAuditEvents } from "@gitcred/db";
import type { ServiceDeps } from "../deps.ts";
import { handOutWrites, type WriteRows } from "./hand-out-writes.ts";

/** Rows go in through the calling request's own (lazily opened) database. */
function writerOf(deps: Pick<ServiceDeps, "db">): WriteRows {
  return (rows) => insertAuditEvents(deps.db(), rows);
}

/**
 * Waits for this isolate's hand-out records still being written (see `handOutWrites`): the activity read
 * and the erasure call it first.
 */
export function settleHandOuts(deps: Pick<ServiceDeps, "db" | "logger">): Promise<void> {
  return handOutWrites.settled(writerOf(deps), deps.logger);
}

/** The access a hand-out carried: the person's level, or the App token's `contents` permission. */
function writeOrRead(result: Extract<GetTokenForRepoResult, { ok: true }>): "read" | "write" {
  if (result.source === "user") return result.access;
  const contents = result.permissions.contents;
  return contents === "write" || contents === "admin" ? "write" : "read";
}

/**
 * Records that a credential for `owner/repo` was handed to a person's agent session: the person's
 * settings page lists these as "what agents did as you". Only ids and outcomes (repository, session,
 * identity, access), never the token. Written after the answer, batched with the hand-outs of concurrent
 * calls (`hand-out-writes.ts`): the token does not wait for Postgres. A failed write is logged and the
 * hand-out stands: the audit is for the person to see, and an outage of it must not stop their agents.
 */
/** Whether a successful answer to `input` is recorded (a person's session asked): see `recordHandOut`. */
export function recordsHandOut(input: {
  userId?: string | undefined;
  sessionId?: string | undefined;
}): boolean {
  return input.userId !== undefined && input.sessionId !== undefined;
}

export function recordHandOut(
  deps: ServiceDeps,
  input: { userId?: string | undefined; sessionId?: string | undefined; owner: string; repo: string },
  result: GetTokenForRepoResult,
): void {
  if (!result.ok || input.userId === undefined || input.sessionId === undefined) return;
  deps.afterAnswer(
    handOutWrites.add(
      {
        event: "credential_handed_out",
        userId: input.userId,
        githubUserId: result.source === "user" ? result.identity.githubUserId : null,
        caller: deps.caller,
        detail: {
          repository: `${input.owner}/${input.repo}`,
          sessionId: input.sessionId,
          identity: result.source,
          access: writeOrRead(result),
          ...(result.source === "app" && result.fallbackReason !== undefined
            ? { reason: result.fallbackReason }
            : {}),
        },
      },
      writerOf(deps),
      deps.logger,
    ),
  );
}
