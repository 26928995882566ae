import type { StoreConnectionResult } from "@gitcred/client";
import type { GithubUserTokenRow } from "@gitcred/db";
import type { UserTokenSet } from "@gitcred/github";
import type { BoundaryFailure } from "../rpc-boundary.ts";

/** What a disconnect did: here, beside the interface, so deps.ts never imports the logic that uses it. */
export interface RemovedConnection {
  ok: true;
  /** The deleted row; undefined when the person had no connection. */
  row: GithubUserTokenRow | undefined;
  grantRevoked: boolean;
  revokeFailure?: string;
}

/**
 * The changes to a person's connection. Each runs alone for its person: connect checks the new token at
 * GitHub and stores it, disconnect deletes the row and revokes the grant, and neither may start while the
 * other is between those steps.
 */
export interface ConnectionChanges {
  /** `storeConnectionFromTokens`, serialized per person. */
  store(userId: string, tokens: UserTokenSet): Promise<StoreConnectionResult>;
  /** `removeConnection`, serialized per person. */
  remove(userId: string): Promise<RemovedConnection | BoundaryFailure>;
}
