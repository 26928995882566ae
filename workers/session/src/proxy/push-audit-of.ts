import type { GitRefUpdate, RecordGitPushInput, SessionIdentityKind } from "@gitcred/client";
import type { SessionRecord } from "../types.ts";
import { isAuditableRefName, isValidRefName } from "./branch-policy.ts";

/** As git-token's `recordGitPush` admits: at most 50 refs per record. */
const MAX_REFS = 50;
const ZERO = /^0+$/;

/** A ref update git-token will take: a name git would write, printable ASCII, not both ids zero. */
function recordable(update: GitRefUpdate): boolean {
  return (
    isAuditableRefName(update.ref) &&
    isValidRefName(update.ref) &&
    !(ZERO.test(update.oldId) && ZERO.test(update.newId))
  );
}

/**
 * The audit record of one push through the git proxy, from the session's own record (whose person,
 * tenant, session and repository, never the request's spelling) and the ref updates the push asked for.
 * Refs git-token would refuse (a name git itself would not write, or one that is not printable ASCII of
 * at most 255 characters: the branch policy refuses both, so only a refused push has them) and those
 * over the cap are counted in `omittedRefs` rather than failing the whole record; a refused push that
 * names only such refs has no record (its attempt stays in the session's event log). No token is in it:
 * only ids, names and object ids.
 */
export function pushAuditOf(
  record: SessionRecord,
  updates: readonly GitRefUpdate[],
  identity: SessionIdentityKind,
  refused: boolean,
): RecordGitPushInput | undefined {
  const refs = updates
    .filter(recordable)
    .slice(0, MAX_REFS)
    .map(({ ref, oldId, newId }) => ({ ref, oldId, newId }));
  if (refs.length === 0) return undefined;
  const omittedRefs = updates.length - refs.length;
  return {
    userId: record.userId,
    ...(record.tenantId === undefined || record.tenantId === null ? {} : { tenantId: record.tenantId }),
    sessionId: record.sessionId,
    owner: record.owner,
    repo: record.repo,
    identity,
    refs,
    ...(omittedRefs > 0 ? { omittedRefs } : {}),
    ...(refused ? { refused: { reason: "branch_policy" as const } } : {}),
  };
}
