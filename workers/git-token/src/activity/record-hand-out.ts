import type { GetTokenForRepoResult } from "@gitcred/client";
import { insertAuditEvent } from "@gitcred/db";
import { errorFields } from "@gitcred/utils";
import type { ServiceDeps } from "../deps.ts";

/** The access a hand-out carried: the person's level, or the App token's `contents` permission. */
function writeOrRead(result: Extract<GetTokenForRepoResult, { ok: true }>): "read" | "write" {
  if (result.source === "user") return result.access;
  const contents = result.permissions.contents;
  return contents === "write" || contents === "admin" ? "write" : "read";
}

/**
 * Records that a credential for `owner/repo` was handed to a person's agent session: the person's
 * settings page lists these as "what agents did as you". Only ids and outcomes (repository, session,
 * identity, access), never the token. A failed write is logged and the hand-out stands: the audit is
 * for the person to see, and an outage of it must not stop their agents.
 */
export async function recordHandOut(
  deps: ServiceDeps,
  input: { userId?: string | undefined; sessionId?: string | undefined; owner: string; repo: string },
  result: GetTokenForRepoResult,
): Promise<void> {
  if (!result.ok || input.userId === undefined || input.sessionId === undefined) return;
  try {
    await insertAuditEvent(deps.db(), {
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
    });
  } catch (error) {
    deps.logger.warn("could not record a credential hand-out", { error: errorFields(error) });
  }
}
