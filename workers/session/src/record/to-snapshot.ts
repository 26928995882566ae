import type { SessionSnapshot } from "@gitcred/client";
import type { SessionRecord } from "../types.ts";
import { sessionTrailers } from "./session-trailers.ts";

/** The public view of a session record: no secret hash, no user id, plain data for RPC. */
export function toSnapshot(record: SessionRecord): SessionSnapshot {
  const snapshot: SessionSnapshot = {
    sessionId: record.sessionId,
    tenantId: record.tenantId ?? null,
    owner: record.owner,
    repo: record.repo,
    access: record.access,
    prefer: record.prefer,
    state: record.state,
    identity: record.identity,
    author: record.author,
    commitTrailers: sessionTrailers(record),
    installationId: record.installationId,
    tokenExpiresAt: record.tokenExpiresAt,
    preparation: { ...record.preparation },
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
  if (record.fallbackReason !== undefined) snapshot.fallbackReason = record.fallbackReason;
  if (record.downgradedAt !== undefined) snapshot.downgradedAt = record.downgradedAt;
  if (record.failure !== undefined) snapshot.failure = { ...record.failure };
  return snapshot;
}
