import type { GitAuthor, SessionSnapshot } from "@gitcred/client";
import { resolveBranchPolicy } from "../proxy/branch-policy.ts";
import type { SessionRecord } from "../types.ts";
import { sessionExpiresAt } from "./session-deadline.ts";
import { sessionAuthor, sessionTrailers } from "./session-trailers.ts";

/**
 * The public view of a session record: no secret hash, no user id, plain data for RPC. `person` is the
 * person's identity from memory or git-token (`personOf`), never from storage.
 */
export function toSnapshot(
  record: SessionRecord,
  person: GitAuthor | null,
  lifetimeMs: number,
): SessionSnapshot {
  const snapshot: SessionSnapshot = {
    sessionId: record.sessionId,
    tenantId: record.tenantId ?? null,
    owner: record.owner,
    repo: record.repo,
    access: record.access,
    prefer: record.prefer,
    sandboxGit: record.sandboxGit ?? "token",
    branchPolicy: resolveBranchPolicy(record.branchPolicy),
    state: record.state,
    identity: record.identity,
    author: sessionAuthor(record, person),
    commitTrailers: sessionTrailers(record, person),
    installationId: record.installationId,
    tokenExpiresAt: record.tokenExpiresAt,
    preparation: { ...record.preparation },
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    expiresAt: new Date(sessionExpiresAt(record, lifetimeMs)).toISOString(),
  };
  if (record.fallbackReason !== undefined) snapshot.fallbackReason = record.fallbackReason;
  if (record.downgradedAt !== undefined) snapshot.downgradedAt = record.downgradedAt;
  if (record.failure !== undefined) snapshot.failure = { ...record.failure };
  return snapshot;
}
