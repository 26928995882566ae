import type { ActivityEvent, ActivityKind, ActivityRef } from "@gitcred/client";
import type { AuditEventRow } from "@gitcred/db";

const KINDS: Record<string, ActivityKind> = {
  credential_handed_out: "credential_handed_out",
  connect: "connected",
  disconnect: "disconnected",
  token_rejected: "token_rejected",
  refresh_failed: "refresh_failed",
  grant_revoked: "grant_revoked",
  installation_claimed: "installation_claimed",
  git_push: "git_push",
  git_push_refused: "git_push_refused",
};

/** Short machine words only (`reconnect_required`, `refresh_token_rejected`): never free text. */
const WORD = /^[a-z][a-z0-9_]{0,63}$/;
/** `owner/repo` as GitHub spells them (no path tricks, no spaces). */
const REPOSITORY = /^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/;
/** A platform id: the alphabet of user and session ids. */
const PLATFORM_ID = /^[A-Za-z0-9_.:@-]{1,128}$/;
const LOGIN = /^[A-Za-z0-9-]{1,39}$/;

function pick(value: unknown, shape: RegExp): string | undefined {
  return typeof value === "string" && shape.test(value) ? value : undefined;
}

/** A full ref name of printable ASCII, as `recordGitPush` admits them (no spaces, no control characters). */
const REF = /^refs\/[!-~]{1,250}$/;
const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const ZERO = /^0+$/;
/** The most refs one entry shows (as many as a push record holds). */
const MAX_REFS = 50;

/** A push's ref updates, each checked again (ref name, object ids), with what happened to the ref. */
function pickRefs(value: unknown): ActivityRef[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const refs: ActivityRef[] = [];
  for (const item of value.slice(0, MAX_REFS) as unknown[]) {
    if (typeof item !== "object" || item === null) continue;
    const entry = item as Record<string, unknown>;
    const ref = pick(entry.ref, REF);
    const oldId = pick(entry.oldId, OBJECT_ID);
    const newId = pick(entry.newId, OBJECT_ID);
    if (ref === undefined || oldId === undefined || newId === undefined) continue;
    const action = ZERO.test(newId) ? "delete" : ZERO.test(oldId) ? "create" : "update";
    refs.push({ ref, action, oldId, newId });
  }
  return refs.length === 0 ? undefined : refs;
}

/**
 * An audit row as the person may see it: an allow-list of fields, each checked against the shape it
 * must have, so nothing else a row's `detail` holds (or might hold by a future bug: a token, a code)
 * can reach the page. Unknown events show as `other` with their time only.
 */
export function toActivityEvent(row: AuditEventRow): ActivityEvent {
  const d = row.detail;
  const kind = KINDS[row.event] ?? "other";
  const out: ActivityEvent = { id: String(row.id), at: row.createdAt.toISOString(), kind };
  if (kind === "other") return out;
  const repository = pick(d.repository, REPOSITORY);
  const sessionId = pick(d.sessionId, PLATFORM_ID);
  const caller = pick(row.caller, PLATFORM_ID);
  const reason = pick(d.reason, WORD);
  const login = pick(d.login, LOGIN);
  if (repository !== undefined) out.repository = repository;
  if (sessionId !== undefined) out.sessionId = sessionId;
  if (d.identity === "user" || d.identity === "app") out.identity = d.identity;
  if (d.access === "read" || d.access === "write") out.access = d.access;
  if (caller !== undefined) out.caller = caller;
  if (reason !== undefined) out.reason = reason;
  if (login !== undefined) out.login = login;
  if (typeof d.installationId === "number" && Number.isSafeInteger(d.installationId))
    out.installationId = d.installationId;
  const refs = pickRefs(d.refs);
  if (refs !== undefined) out.refs = refs;
  if (typeof d.omittedRefs === "number" && Number.isSafeInteger(d.omittedRefs) && d.omittedRefs > 0)
    out.omittedRefs = d.omittedRefs;
  return out;
}
