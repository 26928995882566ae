/**
 * What the settings page reads and does through `GitTokenConnectRpc` beyond the connect flows: where
 * agents can work (installations and the repositories each covers), what agents did as the person
 * (their own audit events), and erasing the page's own person. No result here carries a token, a code
 * or any secret: the connect worker parses Internet input, so nothing it can ask for is one.
 */
import type { CommonFailureReason, RpcFailure } from "./git-token.ts";

// ---------------------------------------------------------------------------------------------------------
// listInstallationCoverage

export interface ListInstallationCoverageInput {
  /** The tenant whose claimed installations are listed (the page session's tenant). */
  tenantId: string;
}

/** One installation a tenant claimed, and what it lets agents reach. */
export interface InstallationCoverage {
  installationId: number;
  /** The account (user or organisation) the App is installed on, when gitcred has seen it. */
  accountLogin: string | null;
  accountType: "User" | "Organization" | null;
  /** `all`: every repository of the account, now and later; `selected`: only `repositories`. */
  repositorySelection: "all" | "selected" | null;
  /** `owner/repo`, lower-cased, sorted; empty for `all` (every repository) or when none is known yet. */
  repositories: string[];
  /** More than 50 repositories are selected: only the first are listed. */
  repositoriesTruncated: boolean;
  /** When GitHub reported the installation suspended (agents get no App token on it then), else null. */
  suspendedAt: string | null;
  via: "install_flow" | "grant" | "migration";
  claimedAt: string;
}

export type ListInstallationCoverageResult =
  | { ok: true; installations: InstallationCoverage[] }
  | RpcFailure<CommonFailureReason>;

// ---------------------------------------------------------------------------------------------------------
// listActivity

export interface ListActivityInput {
  /** Whose activity: only events recorded under this user id are ever returned. */
  userId: string;
  /** The `nextCursor` of the previous page; absent for the newest events. */
  cursor?: string;
  /** 1 to 50; default 20. */
  limit?: number;
}

/** What an activity entry records; unknown event kinds are returned as `other`. */
export type ActivityKind =
  /** git-token handed a credential to an agent session (the person's token, or the App's as the bot). */
  | "credential_handed_out"
  | "connected"
  | "disconnected"
  /** GitHub confirmed a token the person's session had dead (revoked, expired). */
  | "token_rejected"
  | "refresh_failed"
  /** The person revoked gitcred's authorization on GitHub. */
  | "grant_revoked"
  | "installation_claimed"
  /** The session's git proxy forwarded a push to GitHub (`refs`, `identity`, `repository`, `sessionId`). */
  | "git_push"
  /** The session's git proxy refused a push (`reason`, e.g. `branch_policy`): nothing reached GitHub. */
  | "git_push_refused"
  | "other";

/** One ref update of a push, as the person sees it: the ref and what happened to it. */
export interface ActivityRef {
  ref: string;
  action: "create" | "update" | "delete";
  /** The object ids (40 or 64 lowercase hex digits; zeros for a created or deleted side). */
  oldId: string;
  newId: string;
}

/** One audit event of the person, reduced to fields that are safe to show them (never a secret). */
export interface ActivityEvent {
  /** Opaque and stable: the audit event's id. */
  id: string;
  at: string;
  kind: ActivityKind;
  /** `owner/repo` the credential was for (hand-outs). */
  repository?: string;
  /** The agent session it was for (hand-outs that named one). */
  sessionId?: string;
  /** Whose identity the credential carried: the person's (`user`) or the App's bot (`app`). */
  identity?: "user" | "app";
  /** `read` or `write`, for hand-outs. */
  access?: "read" | "write";
  /** The worker that asked (from its service binding's props), e.g. `gitcred-session`. */
  caller?: string;
  /** A short machine reason (`reconnect_required`, `refresh_token_rejected`, ...), when the event has one. */
  reason?: string;
  /** The installation (claims). */
  installationId?: number;
  /** The GitHub login (connects). */
  login?: string;
  /** The ref updates of a push (`git_push`, `git_push_refused`). */
  refs?: ActivityRef[];
  /** Ref updates of that push not listed in `refs`. */
  omittedRefs?: number;
}

export type ListActivityResult =
  | {
      ok: true;
      /** Newest first. */
      events: ActivityEvent[];
      /** Pass as `cursor` for the next (older) page; absent on the last page. */
      nextCursor?: string;
    }
  | RpcFailure<CommonFailureReason>;
