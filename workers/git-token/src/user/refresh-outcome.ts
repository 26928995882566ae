import type { RpcFailure, UserIdentity } from "@gitcred/client";

/** A person's usable access token with what callers need about it (plain data: crosses DO RPC). */
export interface UsableUserToken {
  token: string;
  /** Epoch ms; null for a token without expiry. */
  expiresAt: number | null;
  connectionId: string;
  version: number;
  identity: UserIdentity;
}

export type UserTokenFailureReason =
  | "not_connected"
  | "reconnect_required"
  | "github_unavailable"
  | "rate_limited"
  | "database_unavailable"
  | "busy"
  | "internal_error";

/** What the refresher answers: the person's current usable token, or why there is none. */
export type RefreshOutcome = ({ ok: true } & UsableUserToken) | RpcFailure<UserTokenFailureReason>;
