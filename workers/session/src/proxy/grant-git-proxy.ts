import type {
  GitRefUpdate,
  RecordGitPushInput,
  RpcFailure,
  SessionFailureReason,
  SessionIdentityKind,
} from "@gitcred/client";
import { getGitCredentials } from "../credentials/get-git-credentials.ts";
import { refreshGitHubToken } from "../credentials/refresh-github-token.ts";
import { checkReady } from "../preparation/check-ready.ts";
import { authorizeCaller } from "../record/authorize-caller.ts";
import { updateRecord } from "../record/update-record.ts";
import type { SessionDeps, SessionRecord } from "../types.ts";
import { evaluatePush, needsDefaultBranch, resolveBranchPolicy } from "./branch-policy.ts";
import type { GitService } from "./parse-proxy-route.ts";
import { pushAuditOf } from "./push-audit-of.ts";
import type { RefRefusal } from "./refusal-report.ts";

/** A default branch GitHub named is trusted this long (a rename mid-session is seen within it). */
const DEFAULT_BRANCH_MEMO_MS = 5 * 60_000;

/** What the proxy asks the session for, once per git request. */
export interface GitProxyRequest {
  /** The repository the request names (any case). */
  owner: string;
  repo: string;
  service: GitService;
  /** The ref updates of a `git-receive-pack` POST, read before its pack. */
  updates?: GitRefUpdate[] | undefined;
  /** SHA-256 of the token GitHub just refused on this request: refresh once or downgrade once. */
  rejectedTokenSha256?: string | undefined;
}

/** The session's answer: the token to inject (never shown to the sandbox), or why not. */
export type GitProxyGrant =
  | {
      ok: true;
      token: string;
      identity: SessionIdentityKind;
      /** The session's own spelling: the upstream URL is built from these, never from the request. */
      owner: string;
      repo: string;
      /** True when the session switched to the App's bot (now or before). */
      downgraded: boolean;
      /** A push: its audit record, for the proxy to send to git-token after the grant. */
      push?: RecordGitPushInput | undefined;
    }
  | {
      ok: false;
      reason: "push_refused";
      message: string;
      refusals: RefRefusal[];
      push?: RecordGitPushInput | undefined;
    }
  | RpcFailure<SessionFailureReason | "repository_not_allowed" | "read_only">;

/** The default branch: from memory while fresh, else GitHub (with the session's token), else undefined. */
async function defaultBranchOf(deps: SessionDeps, record: SessionRecord, token: string) {
  const memo = deps.memory.defaultBranch;
  if (memo !== undefined && deps.now() - memo.at < DEFAULT_BRANCH_MEMO_MS) return memo.name;
  const name = await deps.verifier.defaultBranch(token, record.owner, record.repo);
  if (name !== undefined) deps.memory.defaultBranch = { name, at: deps.now() };
  return name;
}

/** Records a push in the session's event log: who (identity), where, which refs; never a token. */
async function recordPush(
  deps: SessionDeps,
  updates: GitRefUpdate[],
  identity: SessionIdentityKind,
  refused: { message: string } | undefined,
): Promise<void> {
  await updateRecord(deps, (current) => ({
    record: current,
    events: [
      {
        type: refused === undefined ? "git_push" : "git_push_refused",
        level: refused === undefined ? "info" : "warning",
        identity,
        repository: `${current.owner}/${current.repo}`,
        refs: updates.map((u) => ({ ...u })),
        ...(refused === undefined ? {} : { reason: "branch_policy" }),
        message:
          refused === undefined
            ? `Pushed ${updates.map((u) => u.ref).join(", ")} through the git proxy as the ${identity === "user" ? "person" : "App's bot"}.`
            : `Refused a push to ${updates.map((u) => u.ref).join(", ")}: ${refused.message}`,
      },
    ],
  }));
}

/**
 * Everything the git proxy needs for one request, in one call to the session's object: the secret git
 * presented (by hash, constant time, ended and expired sessions refused), the repository pinned to the
 * session's own (case-insensitive: GitHub's names are), a push only in a `write` session and only if the
 * branch policy allows every ref update, and then the session's current token (the person's or, after a
 * downgrade, the App's). A token GitHub just refused (`rejectedTokenSha256`) goes the way a helper's
 * `credentials/rejected` does: one refresh or one downgrade, one event. Every push is recorded, refused or
 * not, before anything reaches GitHub; the answer carries its audit record (`push`, no token) for the
 * proxy to send to git-token, where it outlives the session. The token never leaves the session worker.
 */
export async function grantGitProxy(
  deps: SessionDeps,
  secretSha256: string,
  request: GitProxyRequest,
): Promise<GitProxyGrant> {
  const caller = { kind: "proxy", secretSha256 } as const;
  const authorized = await authorizeCaller(deps, caller);
  if (!authorized.ok) return authorized;
  const { record } = authorized;
  const notReady = checkReady(record, deps.now());
  if (notReady !== undefined) return notReady;
  if (
    record.owner.toLowerCase() !== request.owner.toLowerCase() ||
    record.repo.toLowerCase() !== request.repo.toLowerCase()
  ) {
    // Prevents a sandbox from using the session's identity on any other repository the token reaches.
    return {
      ok: false,
      reason: "repository_not_allowed",
      message: `gitcred: this session may use ${record.owner}/${record.repo} only`,
    };
  }
  if (request.service === "git-receive-pack" && record.access !== "write") {
    return { ok: false, reason: "read_only", message: "gitcred: this session may not push (read access)" };
  }
  const credentials =
    request.rejectedTokenSha256 === undefined
      ? await getGitCredentials(deps, caller)
      : await refreshGitHubToken(deps, caller, {
          reason: "rejected",
          rejectedTokenSha256: request.rejectedTokenSha256,
        });
  if (!credentials.ok) return credentials;
  const updates = request.updates;
  const policy = resolveBranchPolicy(record.branchPolicy);
  const defaultBranch =
    updates !== undefined && needsDefaultBranch(policy, updates)
      ? await defaultBranchOf(deps, record, credentials.token)
      : undefined;
  // The object took other calls while this one waited on git-token and GitHub: an end, or a re-prepare
  // that rotated the secret, must stop this request too, not only the next one. From here on only
  // storage is awaited, which lets no other call in (the object's input gate).
  const still = await authorizeCaller(deps, caller);
  if (!still.ok) return still;
  if (updates !== undefined) {
    const refusals = evaluatePush(policy, updates, defaultBranch);
    if (refusals.length > 0) {
      const message = `gitcred refused the push by the session's branch policy (allowed: ${policy.allow.join(", ")}${policy.allowDeletions ? "" : "; no deletions"}${policy.allowDefaultBranch ? "" : "; not the default branch"})`;
      await recordPush(deps, updates, credentials.identity, { message });
      const push = pushAuditOf(record, updates, credentials.identity, true);
      return { ok: false, reason: "push_refused", message, refusals, push };
    }
    await recordPush(deps, updates, credentials.identity, undefined);
  }
  const push = updates === undefined ? undefined : pushAuditOf(record, updates, credentials.identity, false);
  return {
    ok: true,
    token: credentials.token,
    identity: credentials.identity,
    owner: record.owner,
    repo: record.repo,
    downgraded: credentials.downgraded,
    ...(push === undefined ? {} : { push }),
  };
}
