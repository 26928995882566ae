import { isInstallationClaimed } from "@gitcred/db";
import type { ServiceDeps } from "../deps.ts";
import { LruCache } from "../lru-cache.ts";

/**
 * How long this isolate believes "tenant T claimed installation I" without asking Postgres again. A
 * revoked grant or a deleted installation ends the entitlement at once in the isolate that handles the
 * revocation (it forgets the memo) and within this bound in every other isolate. Only positive answers
 * are kept: a new claim works at once everywhere.
 */
export const ENTITLEMENT_MEMO_MS = 5_000;

const memo = new LruCache<true>(5000);
/**
 * Bumped by every forget. A check whose Postgres read began before a revocation may still answer "yes"
 * (it read before the delete) but must not remember it: without this, a check racing a revocation in
 * this isolate would keep the revoked claim alive for another `ENTITLEMENT_MEMO_MS`.
 */
let generation = 0;

const memoKey = (tenantId: string, installationId: number) => `${installationId}\n${tenantId}`;

/** Whether this isolate believes, without asking, that `tenantId` claimed `installationId`. */
export function isEntitledInMemory(tenantId: string, installationId: number): boolean {
  return memo.get(memoKey(tenantId, installationId)) === true;
}

/** Whether `tenantId` may use the App's token on `installationId` (a claim exists). */
export async function isEntitled(
  deps: ServiceDeps,
  tenantId: string,
  installationId: number,
): Promise<boolean> {
  if (isEntitledInMemory(tenantId, installationId)) return true;
  const key = memoKey(tenantId, installationId);
  const began = generation;
  const claimed = await isInstallationClaimed(deps.db(), tenantId, installationId);
  if (claimed && began === generation) memo.set(key, true, deps.now() + ENTITLEMENT_MEMO_MS);
  return claimed;
}

/** One tenant's claim ended: this isolate stops believing it now. */
export function forgetEntitlement(tenantId: string, installationId: number): void {
  generation++;
  memo.delete(memoKey(tenantId, installationId));
}

/**
 * Every claim on an installation ended (it was deleted). The memo holds at most a few thousand pairs and
 * deletions are rare, so it is emptied rather than indexed by installation.
 */
export function forgetEntitlementsOf(_installationId: number): void {
  generation++;
  memo.clear();
}
